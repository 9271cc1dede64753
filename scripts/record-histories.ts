/**
 * Records the histories the replay test guards: a completed migration, one that fails (migration-failed) and
 * one cancelled mid-wait, run for real on a fresh embedded stack with a codec-less worker (so the files are
 * readable). Run it after an intended workflow change, behind `patched()`: `node lib/scripts/record-histories.js`.
 * `RECORD_HISTORIES_SUFFIX=-v2` writes `completed-v2.json` etc. beside the old files, so that both the histories
 * recorded before the change and those after it stay under the replay test.
 */
import type { WorkflowHandle } from '@temporalio/client';
import { EmulatorControl } from '../emulator/control-client';
import { migrationWorkflowId, WORKFLOW_TYPE } from '../workflows/ids';
import type { MigrationInput } from '../workflows/types';
import { sampleSpec } from './fixtures/sample-spec';
import { uploadBackup } from './fixtures/upload';
import { runRecorder, withRecordingStack } from './recording/recording-stack';
import { localS3Client } from './stack/s3-server';

const TIMINGS = {
  clusterCreatingMs: 800,
  clusterMigratingMs: 1200,
  instanceCreatingMs: 600,
  instanceConfiguringMs: 300,
  instanceBackingUpMs: 300,
};

async function main(): Promise<void> {
  await withRecordingStack('record-histories', TIMINGS, async ({ stack, config, client, saveHistory }) => {
    await uploadBackup(localS3Client(stack.s3), 'histories', 'full/', { layout: 'directory', version: '5.7' });
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
      saveHistory(handle.workflowId, `${name}${process.env.RECORD_HISTORIES_SUFFIX ?? ''}`);
    }
  });
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

runRecorder(main);
