/**
 * The real servers the test run shares: started once by test/setup/global-setup.ts, described in a JSON file
 * so that every test file (and any child process it spawns) can reach them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RDSClient } from '@aws-sdk/client-rds';
import { S3Client } from '@aws-sdk/client-s3';

/** Endpoints of the servers started for this test run. */
export interface TestStack {
  temporal: { address: string; namespace: string; uiUrl: string; executable: string };
  s3: { endpoint: string; region: string; accessKeyId: string; secretAccessKey: string };
  /** A shared RDS emulator with short lifecycle durations (seconds). Tests that need their own start one. */
  emulator: { endpoint: string };
  /** Folder for files a test may write (emulator state, histories); emptied at the start of each run. */
  scratchDir: string;
}

/** Path of the file global setup writes. */
export const STACK_FILE = join(__dirname, '..', '..', '.tmp', 'test-stack.json');

/** The servers of this test run. */
export function testStack(): TestStack {
  return JSON.parse(readFileSync(STACK_FILE, 'utf8')) as TestStack;
}

/** A real S3 client pointed at the test run's S3 server. */
export function testS3Client(): S3Client {
  const { s3 } = testStack();
  return new S3Client({
    endpoint: s3.endpoint,
    region: s3.region,
    forcePathStyle: true,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
  });
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
