/**
 * Records the histories the replay test guards: a completed migration, one that fails (migration-failed) and
 * one cancelled mid-wait, run for real on a fresh embedded stack with a codec-less worker (so the files are
 * readable). Run it after an intended workflow change, behind `patched()`: `node lib/scripts/record-histories.js`.
 * `RECORD_HISTORIES_SUFFIX=-v2` writes `completed-v2.json` etc. beside the old files, so that both the histories
 * recorded before the change and those after it stay under the replay test.
 */
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../config/app-config';
import { createRdsClient, createS3Client } from '../config/aws-clients';
import { createWorker } from '../worker/create-worker';
import { migrationWorkflowId, WORKFLOW_TYPE } from '../workflows/ids';
import type { MigrationInput } from '../workflows/types';
import { sampleSpec } from './fixtures/sample-spec';
import { uploadBackup } from './fixtures/upload';
import { EmulatorControl } from '../emulator/control-client';
import { startStack } from './stack';
import { localS3Client } from './stack/s3-server';

const REPO_ROOT = join(__dirname, '..', '..');
const OUT_DIR = join(REPO_ROOT, 'test', 'histories');

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const dataDir = join(REPO_ROOT, '.tmp', 'record-histories');
  rmSync(dataDir, { recursive: true, force: true });
  const stack = await startStack({
    repoRoot: REPO_ROOT,
    dataDir,
    headless: true,
    emulatorTimings: {
      clusterCreatingMs: 800,
      clusterMigratingMs: 1200,
      instanceCreatingMs: 600,
      instanceConfiguringMs: 300,
      instanceBackingUpMs: 300,
    },
  });
  try {
    const env = {
      AURORA_MIGRATE_TASK_QUEUE: 'record-histories',
      AURORA_MIGRATE_RDS_ENDPOINT: stack.emulator.endpoint,
      AURORA_MIGRATE_S3_ENDPOINT: stack.s3.endpoint,
      AURORA_MIGRATE_IAM_ENDPOINT: stack.moto.endpoint,
      AURORA_MIGRATE_KMS_ENDPOINT: stack.moto.endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: stack.s3.accessKeyId,
      AWS_SECRET_ACCESS_KEY: stack.s3.secretAccessKey,
      AURORA_MIGRATE_RESTORE_FIXED_SECONDS: '2',
    };
    const config = loadConfig(env);
    await uploadBackup(localS3Client(stack.s3), 'histories', 'full/', { layout: 'directory', version: '5.7' });
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
    await worker.runUntil(async () => {
      const start = (clusterId: string) =>
        client.workflow.start(WORKFLOW_TYPE, {
          taskQueue: config.taskQueue,
          workflowId: migrationWorkflowId('us-east-1', clusterId),
          args: [spec(clusterId)],
        });
      await new EmulatorControl(stack.emulator.endpoint).addRule({
        match: { clusterId: 'failed-run' },
        outcome: { finalStatus: 'migration-failed' },
      });
      const completed = await start('completed-run');
      const failed = await start('failed-run');
      const cancelled = await start('cancelled-run');
      await waitForStep(cancelled, 'waiting-for-cluster');
      await cancelled.cancel();
      for (const [name, handle] of [
        ['completed', completed],
        ['failed', failed],
        ['cancelled', cancelled],
      ] as const) {
        await handle.result().catch(() => undefined);
        mkdirSync(OUT_DIR, { recursive: true });
        // The CLI's JSON is the format the Web UI downloads and historyFromJSON reads.
        const json = execFileSync(
          stack.temporal.executable,
          ['workflow', 'show', '--address', stack.temporal.address, '--workflow-id', handle.workflowId, '-o', 'json'],
          { encoding: 'utf8' },
        );
        const file = `${name}${process.env.RECORD_HISTORIES_SUFFIX ?? ''}.json`;
        writeFileSync(join(OUT_DIR, file), json);
        console.log(`recorded test/histories/${file}`);
      }
    });
    await client.connection.close();
    await connection.close();
  } finally {
    await stack.stop();
  }
}

function spec(clusterId: string): MigrationInput {
  return sampleSpec({
    clusterId,
    bucket: 'histories',
    prefix: 'full',
    readers: 1,
    options: { pollInterval: '1s', onFailure: 'delete' },
  });
}

async function waitForStep(handle: WorkflowHandle, step: string): Promise<void> {
  for (let i = 0; i < 300; i += 1) {
    const progress = await handle.query<{ step: string }>('progress');
    if (progress.step === step) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`never reached ${step}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
