/**
 * Records the fleet histories the replay test guards: a fleet of three in two waves with an approval between
 * them and one failed migration, and the two runs of a fleet that continues as new (the second adopts what the
 * first left running). Run for real on a fresh embedded stack with a codec-less worker, so the files are
 * readable. Run it after an intended change to `migrateFleet`: `node lib/scripts/record-fleet-history.js`.
 */
import { getFleetProgress, startFleet } from '../client/fleet/temporal';
import { approveMigration } from '../client/temporal';
import { SAMPLE_ROLE_ARN } from './fixtures/sample-spec';
import { uploadBackup } from './fixtures/upload';
import { runRecorder, withRecordingStack } from './recording/recording-stack';
import { localS3Client } from './stack/s3-server';

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

const TIMINGS = { clusterCreatingMs: 800, clusterMigratingMs: 1200, instanceCreatingMs: 600 };

async function main(): Promise<void> {
  await withRecordingStack('record-fleet-history', TIMINGS, async ({ stack, config, client, saveHistory }) => {
    const s3 = localS3Client(stack.s3);
    await uploadBackup(s3, 'histories', 'full/', { layout: 'directory', version: '5.7' });
    await uploadBackup(s3, 'histories', 'incremental/', {
      layout: 'directory',
      version: '5.7',
      backupType: 'incremental',
    });
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
    saveHistory(waves.workflowId, 'fleet-waves', waves.runId);

    const continued = await startFleet(client, config, {
      name: 'history-continued',
      options: { maxInFlight: 2, continueAsNewAfter: 2, adoptedPollInterval: '1s' },
      template: TEMPLATE,
      databases: [{ id: 'can-a' }, { id: 'can-b' }, { id: 'can-c' }],
    });
    await client.workflow.getHandle(continued.workflowId).result();
    const last = await client.workflow.getHandle(continued.workflowId).describe();
    saveHistory(continued.workflowId, 'fleet-continued-first-run', continued.runId);
    saveHistory(continued.workflowId, 'fleet-continued-last-run', last.runId);
  });
}

runRecorder(main);
