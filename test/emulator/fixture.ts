/**
 * Shared setup of the emulator tests: an in-process emulator checking buckets on the run's real S3 server, a real
 * RDS client, a seeded bucket, and helpers for the control endpoint.
 */
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { RDSClient, RestoreDBClusterFromS3CommandInput } from '@aws-sdk/client-rds';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../emulator/server';
import { testRdsClient, testS3Client, testStack, uniqueName } from '../helpers/stack';

/** Short lifecycle phases so a whole restore takes about a second. */
export const FAST_TIMINGS = {
  clusterCreatingMs: 300,
  clusterMigratingMs: 500,
  instanceCreatingMs: 300,
  instanceConfiguringMs: 200,
  instanceBackingUpMs: 200,
  deletingMs: 300,
};

/** A bucket with a backup under `backup/` and a non-backup file under `notes/`. */
export interface SeededBucket {
  bucket: string;
  backupPrefix: string;
  junkPrefix: string;
}

/** Creates a bucket on the test S3 server holding a fake XtraBackup layout and an unrelated file. */
export async function seedBucket(): Promise<SeededBucket> {
  const s3 = testS3Client();
  const bucket = uniqueName('emu');
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: 'backup/xtrabackup_checkpoints',
      Body: 'backup_type = full-backuped\n',
    }),
  );
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'notes/readme.txt', Body: 'not a backup' }));
  s3.destroy();
  return { bucket, backupPrefix: 'backup/', junkPrefix: 'notes/' };
}

/** Starts an emulator for one test file, checking buckets on the test S3 server. */
export function startTestEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  return startEmulator({ s3: testStack().s3, timings: FAST_TIMINGS, ...options });
}

/** A real RDS client for an emulator. */
export function rdsClient(emulator: RunningEmulator, maxAttempts = 1): RDSClient {
  return testRdsClient(emulator.endpoint, maxAttempts);
}

/** A valid RestoreDBClusterFromS3 request for a fresh cluster id; `overrides` replace members. */
export function restoreInput(
  seeded: SeededBucket,
  overrides: Partial<RestoreDBClusterFromS3CommandInput> = {},
): RestoreDBClusterFromS3CommandInput {
  return {
    DBClusterIdentifier: uniqueName('c'),
    Engine: 'aurora-mysql',
    EngineVersion: '8.0.mysql_aurora.3.07.1',
    MasterUsername: 'admin',
    MasterUserPassword: 'Sup3r-secret-pw',
    SourceEngine: 'mysql',
    SourceEngineVersion: '8.0.36',
    S3BucketName: seeded.bucket,
    S3Prefix: seeded.backupPrefix,
    S3IngestionRoleArn: 'arn:aws:iam::123456789012:role/rds-s3-import',
    ServerlessV2ScalingConfiguration: { MinCapacity: 0.5, MaxCapacity: 4 },
    ...overrides,
  };
}

/** Calls the control endpoint and returns status and parsed JSON. */
export async function control<T = unknown>(
  emulator: RunningEmulator,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const response = await fetch(`${emulator.endpoint}/_emulator/${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as T };
}

/** Polls `probe` every 50 ms until `done` holds, or fails after `timeoutMs`. */
export async function waitFor<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`condition not reached in ${timeoutMs} ms; last value ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Runs `call` and returns what it threw (fails the test if it did not throw). */
export async function caught(call: () => Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await call();
  } catch (err) {
    return err as Error & Record<string, unknown>;
  }
  throw new Error('expected the call to fail');
}
