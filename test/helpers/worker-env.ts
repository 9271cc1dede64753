/**
 * The settings every test process that runs migrations needs on the test stack, in one place: the stack's
 * endpoints (RDS, S3, and moto for the pre-flight's IAM and KMS checks and for Secrets Manager), its credentials, the codec key, and the
 * ETA model of the test emulator's short restores. A worker, CLI or service configured from here cannot miss one.
 */
import { randomBytes } from 'node:crypto';
import { testStack } from './stack';

/** A fresh 32-byte codec key, as configuration would carry it (one per test process). */
export const TEST_CODEC_KEYS = `test-key-1:${randomBytes(32).toString('base64')}`;

/** The environment a worker (or CLI, or HTTP service) needs against `rdsEndpoint` (default: the shared emulator). */
export function testWorkerEnv(rdsEndpoint = testStack().emulator.endpoint): Record<string, string> {
  const stack = testStack();
  return {
    AURORA_MIGRATE_RDS_ENDPOINT: rdsEndpoint,
    AURORA_MIGRATE_S3_ENDPOINT: stack.s3.endpoint,
    AURORA_MIGRATE_IAM_ENDPOINT: stack.moto.endpoint,
    AURORA_MIGRATE_KMS_ENDPOINT: stack.moto.endpoint,
    // Passwords named by secret ARN (master, replication, the cluster's managed secret) are read from moto.
    AURORA_MIGRATE_SECRETS_ENDPOINT: stack.moto.endpoint,
    AURORA_MIGRATE_CODEC_KEYS: TEST_CODEC_KEYS,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: stack.s3.accessKeyId,
    AWS_SECRET_ACCESS_KEY: stack.s3.secretAccessKey,
    // The ETA's model until a restore completes: the test emulator's restore (seconds), not AWS's ten minutes,
    // which would make a worker read statuses minutes apart.
    AURORA_MIGRATE_RESTORE_FIXED_SECONDS: '2',
  };
}
