/**
 * AWS clients for the client surfaces (the dry-run validation reads S3): endpoint overrides from configuration,
 * otherwise the standard credential and Region chain.
 */
import { S3Client } from '@aws-sdk/client-s3';
import type { AppConfig } from '../config/app-config';

/** An S3 client for `region`, honouring the configured endpoint override and path-style setting. */
export function createS3Client(config: AppConfig, region: string): S3Client {
  return new S3Client({
    region,
    maxAttempts: config.aws.maxAttempts,
    ...(config.aws.s3Endpoint ? { endpoint: config.aws.s3Endpoint } : {}),
    forcePathStyle: config.aws.s3ForcePathStyle,
  });
}
