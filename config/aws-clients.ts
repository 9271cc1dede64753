/**
 * The AWS clients the activities use: the standard credential chain and Region settings, with endpoint
 * overrides for the emulator and a local S3 server. maxAttempts is deliberate: see AppConfig.aws.maxAttempts.
 */
import { RDSClient } from '@aws-sdk/client-rds';
import { S3Client } from '@aws-sdk/client-s3';
import type { AppConfig } from './app-config';
import { RequestLimiter, limitRequests } from './rate-limiter';

/**
 * An RDS client for the configured Region and endpoint whose requests share `limiter` (by default a new one
 * sized by the config: pass one limiter to every RDS client of a process so that they share its budget).
 */
export function createRdsClient(
  config: AppConfig,
  limiter = new RequestLimiter(config.aws.rdsCallsPerSecond, config.aws.rdsCallBurst),
): RDSClient {
  const client = new RDSClient({
    region: config.aws.region,
    endpoint: config.aws.rdsEndpoint,
    maxAttempts: config.aws.maxAttempts,
    credentials: config.aws.credentials,
  });
  return limitRequests(client, limiter);
}

/**
 * An S3 client for `region` (default: the configured one) and the configured endpoint; it follows redirects to
 * the bucket's own Region.
 */
export function createS3Client(config: AppConfig, region = config.aws.region): S3Client {
  return new S3Client({
    region,
    endpoint: config.aws.s3Endpoint,
    forcePathStyle: config.aws.s3ForcePathStyle,
    followRegionRedirects: true,
    maxAttempts: config.aws.maxAttempts,
    credentials: config.aws.credentials,
  });
}
