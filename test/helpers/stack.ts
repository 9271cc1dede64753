/**
 * The real servers the test run shares: started once by test/setup/global-setup.ts, described in a JSON file
 * so that every test file (and any child process it spawns) can reach them.
 */
import { readFileSync } from 'node:fs';
import { RDSClient } from '@aws-sdk/client-rds';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { S3Client } from '@aws-sdk/client-s3';
import { localS3Client } from '../../scripts/stack/s3-server';

/** Endpoints of the servers started for this test run. */
export interface TestStack {
  temporal: { address: string; namespace: string; uiUrl: string; executable: string };
  s3: { endpoint: string; region: string; accessKeyId: string; secretAccessKey: string };
  /** A shared RDS emulator with short lifecycle durations (seconds). Tests that need their own start one. */
  emulator: { endpoint: string };
  /** moto's server mode: the Secrets Manager, IAM and KMS of the run. */
  moto: { endpoint: string; region: string; accessKeyId: string; secretAccessKey: string };
  /** Folder for files a test may write (emulator state, histories); emptied at the start of each run. */
  scratchDir: string;
  /** The prebuilt workflow bundle every in-process worker and replay of this run loads (see setup/workflow-bundle). */
  workflowBundle: string;
}

/**
 * Global setup names the file describing its run in this variable (each run has its own folder, so runs side
 * by side in one checkout do not share servers or buckets); child processes inherit it.
 */
export const STACK_FILE_VARIABLE = 'AURORA_TEST_STACK_FILE';

/** The file of this run (test modules load after global setup set the variable). */
export const STACK_FILE = process.env[STACK_FILE_VARIABLE] ?? '';

/** The servers of this test run. */
export function testStack(): TestStack {
  const file = process.env[STACK_FILE_VARIABLE];
  if (!file)
    throw new Error(`${STACK_FILE_VARIABLE} is not set: run the tests through jest (its global setup sets it)`);
  return JSON.parse(readFileSync(file, 'utf8')) as TestStack;
}

/** A real S3 client pointed at the test run's S3 server. */
export function testS3Client(): S3Client {
  return localS3Client(testStack().s3);
}

/** A real RDS client pointed at an emulator (the shared one unless another endpoint is given). */
export function testRdsClient(endpoint = testStack().emulator.endpoint, maxAttempts = 1): RDSClient {
  return new RDSClient({
    endpoint,
    region: 'us-east-1',
    maxAttempts,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
}

/** A name unique to this process and call, for buckets, clusters, task queues and workflow IDs. */
export function uniqueName(prefix: string): string {
  uniqueCounter += 1;
  return `${prefix}-${process.pid.toString(36)}-${Date.now().toString(36)}-${uniqueCounter}`.toLowerCase();
}
let uniqueCounter = 0;

/** A real Secrets Manager client pointed at the test run's moto. */
export function testSecretsClient(): SecretsManagerClient {
  const { moto } = testStack();
  return new SecretsManagerClient({
    endpoint: moto.endpoint,
    region: moto.region,
    credentials: { accessKeyId: moto.accessKeyId, secretAccessKey: moto.secretAccessKey },
  });
}
