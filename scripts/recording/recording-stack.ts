/**
 * The set-up every history recorder shares: a fresh embedded stack, a codec-less worker configured for it (so
 * the recorded files are readable, and every endpoint, including IAM and KMS for the pre-flight, is the stack's),
 * and the one way a history is saved: `temporal workflow show -o json`, the format the Web UI downloads and
 * `historyFromJSON` reads.
 */
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig, type AppConfig } from '../../config/app-config';
import { createRdsClient, createS3Client } from '../../config/aws-clients';
import type { EmulatorTimings } from '../../emulator/timings';
import { createWorker } from '../../worker/create-worker';
import { startStack, type Stack } from '../stack';

const REPO_ROOT = join(__dirname, '..', '..', '..');
const OUT_DIR = join(REPO_ROOT, 'test', 'histories');

/** What a recorder works with while its worker runs. */
export interface RecordingContext {
  stack: Stack;
  config: AppConfig;
  client: Client;
  /** Writes `test/histories/<name>.json` from the run (the latest run of the workflow when runId is absent). */
  saveHistory: (workflowId: string, name: string, runId?: string) => void;
}

/** Starts the stack and a worker named `name`, runs `record` while the worker runs, then stops everything. */
export async function withRecordingStack(
  name: string,
  emulatorTimings: Partial<EmulatorTimings>,
  record: (context: RecordingContext) => Promise<void>,
): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const dataDir = join(REPO_ROOT, '.tmp', name);
  rmSync(dataDir, { recursive: true, force: true });
  const stack = await startStack({ repoRoot: REPO_ROOT, dataDir, headless: true, emulatorTimings });
  try {
    const config = loadConfig({
      AURORA_MIGRATE_TASK_QUEUE: name,
      AURORA_MIGRATE_RDS_ENDPOINT: stack.emulator.endpoint,
      AURORA_MIGRATE_S3_ENDPOINT: stack.s3.endpoint,
      AURORA_MIGRATE_IAM_ENDPOINT: stack.moto.endpoint,
      AURORA_MIGRATE_KMS_ENDPOINT: stack.moto.endpoint,
      AURORA_MIGRATE_SECRETS_ENDPOINT: stack.moto.endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: stack.s3.accessKeyId,
      AWS_SECRET_ACCESS_KEY: stack.s3.secretAccessKey,
      AURORA_MIGRATE_RESTORE_FIXED_SECONDS: '2',
    });
    const client = new Client({ connection: await Connection.connect({ address: stack.temporal.address }) });
    const connection = await NativeConnection.connect({ address: stack.temporal.address });
    const worker = await createWorker({
      connection,
      namespace: 'default',
      config,
      rds: createRdsClient(config),
      s3: createS3Client(config),
      client,
    });
    const saveHistory = (workflowId: string, file: string, runId?: string): void => {
      const args = ['workflow', 'show', '--address', stack.temporal.address, '--workflow-id', workflowId];
      const json = execFileSync(
        stack.temporal.executable,
        [...args, ...(runId ? ['--run-id', runId] : []), '-o', 'json'],
        {
          encoding: 'utf8',
        },
      );
      mkdirSync(OUT_DIR, { recursive: true });
      writeFileSync(join(OUT_DIR, `${file}.json`), json);
      console.log(`recorded test/histories/${file}.json`);
    };
    await worker.runUntil(() => record({ stack, config, client, saveHistory }));
    await client.connection.close();
    await connection.close();
  } finally {
    await stack.stop();
  }
}

/** Runs a recorder's main and exits 1 with the error when it fails. */
export function runRecorder(main: () => Promise<void>): void {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
