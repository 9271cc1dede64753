/**
 * The AWS clients the activities use: the standard credential chain and Region settings, with endpoint
 * overrides for the emulator and a local S3 server. maxAttempts is deliberate: see AppConfig.aws.maxAttempts.
 */
import { RDSClient } from '@aws-sdk/client-rds';
import { S3Client } from '@aws-sdk/client-s3';
import type { MetricMeter } from '@temporalio/common';
import { countAwsRequests } from '../activities/metrics';
import type { AppConfig } from './app-config';

/** An RDS client for the configured Region and endpoint; its calls are counted on `meter` when given. */
export function createRdsClient(config: AppConfig, meter?: MetricMeter): RDSClient {
  const client = new RDSClient({
    region: config.aws.region,
    endpoint: config.aws.rdsEndpoint,
    maxAttempts: config.aws.maxAttempts,
    credentials: config.aws.credentials,
  });
  if (meter) countAwsRequests(client, 'rds', meter);
  return client;
}

/**
 * An S3 client for `region` (default: the configured one) and the configured endpoint; it follows redirects to
 * the bucket's own Region. Its calls are counted on `meter` when given.
 */
export function createS3Client(config: AppConfig, region = config.aws.region, meter?: MetricMeter): S3Client {
  const client = new S3Client({
    region,
    endpoint: config.aws.s3Endpoint,
    forcePathStyle: config.aws.s3ForcePathStyle,
    followRegionRedirects: true,
    maxAttempts: config.aws.maxAttempts,
    credentials: config.aws.credentials,
  });
  if (meter) countAwsRequests(client, 's3', meter);
  return client;
}
