/**
 * Records the fleet histories the replay test guards: a fleet of three in two waves with an approval between
 * them and one failed migration, and the two runs of a fleet that continues as new (the second adopts what the
 * first left running). Run for real on a fresh embedded stack with a codec-less worker, so the files are
 * readable. Run it after an intended change to `migrateFleet`: `node lib/scripts/record-fleet-history.js`.
 */
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { getFleetProgress, startFleet } from '../client/fleet/temporal';
import { approveMigration } from '../client/temporal';
import { loadConfig } from '../config/app-config';
import { createRdsClient, createS3Client } from '../config/aws-clients';
import { createWorker } from '../worker/create-worker';
import { SAMPLE_ROLE_ARN } from './fixtures/sample-spec';
import { uploadBackup } from './fixtures/upload';
import { startStack } from './stack';
import { localS3Client } from './stack/s3-server';

const REPO_ROOT = join(__dirname, '..', '..');
const OUT_DIR = join(REPO_ROOT, 'test', 'histories');

const TEMPLATE = {
  region: 'us-east-1',
  restore: {
    Engine: 'aurora-mysql',
    EngineVersion: '5.7.mysql_aurora.2.12.0',
    MasterUsername: 'admin',
    SourceEngine: 'mysql',
    SourceEngineVersion: '5.7.44',
    S3BucketName: 'histories',
    S3Prefix: 'full',
    S3IngestionRoleArn: SAMPLE_ROLE_ARN,
  },
  instances: [{ DBInstanceIdentifier: '{id}-writer', DBInstanceClass: 'db.r6g.large' }],
  options: { pollInterval: '1s' },
};

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const dataDir = join(REPO_ROOT, '.tmp', 'record-fleet-history');
  rmSync(dataDir, { recursive: true, force: true });
  const stack = await startStack({
    repoRoot: REPO_ROOT,
    dataDir,
    headless: true,
    emulatorTimings: { clusterCreatingMs: 800, clusterMigratingMs: 1200, instanceCreatingMs: 600 },
  });
  try {
    const config = loadConfig({
      AURORA_MIGRATE_TASK_QUEUE: 'record-fleet-history',
      AURORA_MIGRATE_RDS_ENDPOINT: stack.emulator.endpoint,
      AURORA_MIGRATE_S3_ENDPOINT: stack.s3.endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: stack.s3.accessKeyId,
      AWS_SECRET_ACCESS_KEY: stack.s3.secretAccessKey,
    });
    const s3 = localS3Client(stack.s3);
    await uploadBackup(s3, 'histories', 'full/', { layout: 'directory', version: '5.7' });
    await uploadBackup(s3, 'histories', 'incremental/', {
      layout: 'directory',
      version: '5.7',
      backupType: 'incremental',
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
    const show = (workflowId: string, runId: string, name: string): void => {
      // The CLI's JSON is the format the Web UI downloads and historyFromJSON reads.
      const json = execFileSync(
        stack.temporal.executable,
        [
          'workflow',
          'show',
          '--address',
          stack.temporal.address,
          '--workflow-id',
          workflowId,
          '--run-id',
          runId,
          '-o',
          'json',
        ],
        { encoding: 'utf8' },
      );
      mkdirSync(OUT_DIR, { recursive: true });
      writeFileSync(join(OUT_DIR, `${name}.json`), json);
      console.log(`recorded test/histories/${name}.json`);
    };
    await worker.runUntil(async () => {
      const waves = await startFleet(client, config, {
        name: 'history-waves',
        options: { maxInFlight: 2, waveSize: 2, approvalBetweenWaves: true, failureBudget: 2 },
        template: TEMPLATE,
        databases: [
          { id: 'wave-a' },
          { id: 'wave-b', overrides: { restore: { S3Prefix: 'incremental' } } },
          { id: 'wave-c' },
        ],
      });
      for (;;) {
        const progress = await getFleetProgress(client, waves.workflowId);
        if (progress.step === 'awaiting-approval') break;
        await new Promise((r) => setTimeout(r, 200));
      }
      await approveMigration(client, waves.workflowId, { by: 'recorder', reason: 'history' });
      await client.workflow.getHandle(waves.workflowId).result();
      show(waves.workflowId, waves.runId, 'fleet-waves');

      const continued = await startFleet(client, config, {
        name: 'history-continued',
        options: { maxInFlight: 2, continueAsNewAfter: 2, adoptedPollInterval: '1s' },
        template: TEMPLATE,
        databases: [{ id: 'can-a' }, { id: 'can-b' }, { id: 'can-c' }],
      });
      await client.workflow.getHandle(continued.workflowId).result();
      const last = await client.workflow.getHandle(continued.workflowId).describe();
      show(continued.workflowId, continued.runId, 'fleet-continued-first-run');
      show(continued.workflowId, last.runId, 'fleet-continued-last-run');
    });
    await client.connection.close();
    await connection.close();
  } finally {
    await stack.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
