/**
 * The AWS clients the activities use: the standard credential chain and Region settings, with endpoint
 * overrides for the emulator, a local S3 server and moto (Secrets Manager, IAM, KMS). maxAttempts is deliberate: see AppConfig.aws.maxAttempts.
 */
import { IAMClient } from '@aws-sdk/client-iam';
import { KMSClient } from '@aws-sdk/client-kms';
import { RDSClient } from '@aws-sdk/client-rds';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { MetricMeter } from '@temporalio/common';
import { countAwsRequests } from '../activities/metrics';
import type { AppConfig } from './app-config';
import { RequestLimiter, limitRequests } from './rate-limiter';

/**
 * An RDS client for the configured Region and endpoint whose requests share `limiter` (by default a new one
 * sized by the config: pass one limiter to every RDS client of a process so that they share its budget), and
 * are counted on `meter` when given.
 */
export function createRdsClient(
  config: AppConfig,
  limiter = new RequestLimiter(config.aws.rdsCallsPerSecond, config.aws.rdsCallBurst),
  meter?: MetricMeter,
): RDSClient {
  const client = new RDSClient({
    region: config.aws.region,
    endpoint: config.aws.rdsEndpoint,
    maxAttempts: config.aws.maxAttempts,
    credentials: config.aws.credentials,
  });
  if (meter) countAwsRequests(client, 'rds', meter);
  return limitRequests(client, limiter);
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

/**
 * A Secrets Manager client for `region` (default: the configured one) and the configured endpoint. Its calls
 * are counted on `meter` when given.
 */
export function createSecretsClient(
  config: AppConfig,
  region = config.aws.region,
  meter?: MetricMeter,
): SecretsManagerClient {
  const client = new SecretsManagerClient({
    region,
    endpoint: config.aws.secretsEndpoint,
    maxAttempts: config.aws.maxAttempts,
    credentials: config.aws.credentials,
  });
  if (meter) countAwsRequests(client, 'secretsmanager', meter);
  return client;
}

/**
 * An IAM client (IAM is global; the Region only picks the signing Region) and the configured endpoint. Its
 * calls are counted on `meter` when given.
 */
export function createIamClient(config: AppConfig, meter?: MetricMeter): IAMClient {
  const client = new IAMClient({
    region: config.aws.region ?? 'us-east-1',
    endpoint: config.aws.iamEndpoint,
    maxAttempts: config.aws.maxAttempts,
    credentials: config.aws.credentials,
  });
  if (meter) countAwsRequests(client, 'iam', meter);
  return client;
}

/**
 * A KMS client for `region` (default: the configured one) and the configured endpoint. Its calls are counted on
 * `meter` when given.
 */
export function createKmsClient(config: AppConfig, region = config.aws.region, meter?: MetricMeter): KMSClient {
  const client = new KMSClient({
    region,
    endpoint: config.aws.kmsEndpoint,
    maxAttempts: config.aws.maxAttempts,
    credentials: config.aws.credentials,
  });
  if (meter) countAwsRequests(client, 'kms', meter);
  return client;
}
