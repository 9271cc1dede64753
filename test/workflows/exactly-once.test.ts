import { CreateDBClusterCommand, RestoreDBClusterFromS3Command } from '@aws-sdk/client-rds';
import { WorkflowFailedError } from '@temporalio/client';
import { type ApplicationFailure } from '@temporalio/common';
import { startMigration as startWithLibrary } from '../../client/temporal';
import { FailureTypes } from '../../workflows/errors';
import { Messages } from '../../workflows/ids';
import type { MigrationProgress } from '../../workflows/types';
import {
  addEmulatorRule,
  emulatorCallLog,
  emulatorInventory,
  sampleSpec,
  startMigration,
  connectTestClient,
  uploadDirectoryBackup,
} from '../helpers/migration';
import { useTestWorker } from '../helpers/use-test-worker';
import { testRdsClient, uniqueName } from '../helpers/stack';
import { loadConfig } from '../../config/app-config';
import { spawnWorkerProcess } from '../helpers/worker-process';

describe('a migration makes exactly one cluster', () => {
  const tw = useTestWorker();

  test('a restore whose response is lost is retried and adopts the cluster it already created', async () => {
    const spec = sampleSpec(await uploadDirectoryBackup({ version: '5.7' }));
    await addEmulatorRule({
      match: { action: 'RestoreDBClusterFromS3', clusterId: spec.restore.DBClusterIdentifier },
      fault: { type: 'apply-then-drop', count: 1 },
    });
    const result = await (await startMigration(tw, spec)).result();

    expect(result.adoptedCluster).toBe(true);
    const calls = await emulatorCallLog('RestoreDBClusterFromS3');
    expect(calls.filter((c) => c.clusterId === spec.restore.DBClusterIdentifier).length).toBeGreaterThanOrEqual(2);
    const inventory = await emulatorInventory();
    expect(inventory.clusters.filter((c) => c.id === spec.restore.DBClusterIdentifier)).toHaveLength(1);
  });

  test('an instance whose create response is lost is adopted, not duplicated', async () => {
    const spec = sampleSpec({ ...(await uploadDirectoryBackup({ version: '5.7' })), readers: 1 });
    await addEmulatorRule({
      match: { action: 'CreateDBInstance', instanceId: spec.instances[1]!.DBInstanceIdentifier },
      fault: { type: 'apply-then-drop', count: 1 },
    });
    const result = await (await startMigration(tw, spec)).result();

    expect(result.instances.map((i) => i.DBInstanceStatus)).toEqual(['available', 'available']);
    const inventory = await emulatorInventory();
    expect(inventory.instances.filter((i) => i.clusterId === spec.restore.DBClusterIdentifier)).toHaveLength(2);
  });

  test('a cluster with our identifier that is not ours fails the migration without touching it', async () => {
    const spec = sampleSpec(await uploadDirectoryBackup({ version: '5.7' }));
    await testRdsClient().send(
      new RestoreDBClusterFromS3Command({
        ...spec.restore,
        Tags: [{ Key: 'owner', Value: 'someone-else' }],
      }),
    );
    const err = await (await startMigration(tw, spec)).result().catch((e: unknown) => e);

    expect(err).toBeInstanceOf(WorkflowFailedError);
    const failure = (err as WorkflowFailedError).cause as ApplicationFailure;
    expect(failure.type).toBe(FailureTypes.ResourceConflict);
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toContain('not ours');
    const inventory = await emulatorInventory();
    expect(inventory.clusters.find((c) => c.id === spec.restore.DBClusterIdentifier)?.status).not.toBe('deleting');
  });

  test('starting the same migration twice returns the running one instead of a second workflow', async () => {
    const spec = sampleSpec(await uploadDirectoryBackup({ version: '5.7' }));
    const first = await startWithLibrary(tw.client, tw.config, spec);
    const second = await startWithLibrary(tw.client, tw.config, spec);

    expect(second.workflowId).toBe(first.workflowId);
    expect(second.runId).toBe(first.runId);
    expect(second.attached).toBe(true);
    await tw.client.workflow.getHandle(first.workflowId).result();
    const calls = await emulatorCallLog('RestoreDBClusterFromS3');
    expect(calls.filter((c) => c.clusterId === spec.restore.DBClusterIdentifier)).toHaveLength(1);
  });
});

describe('a worker killed mid-restore', () => {
  test('leaves exactly one cluster and the requested instances once another worker takes over', async () => {
    // Only a task queue and a client: the workers here are real processes.
    const config = loadConfig({ AURORA_MIGRATE_TASK_QUEUE: uniqueName('tq') });
    const client = await connectTestClient();
    const spec = sampleSpec({ ...(await uploadDirectoryBackup({ version: '5.7' })), readers: 1 });
    // The emulator holds the restore call for 4 s before applying it: the worker dies while RDS has the request.
    await addEmulatorRule({
      match: { action: 'RestoreDBClusterFromS3', clusterId: spec.restore.DBClusterIdentifier },
      fault: { type: 'latency', latencyMs: 4000, count: 1 },
    });
    const first = spawnWorkerProcess(config);
    await first.started;
    const handle = await client.workflow.start('migrateToAurora', {
      taskQueue: config.taskQueue,
      workflowId: `aurora-migrate:us-east-1:${spec.restore.DBClusterIdentifier}`,
      args: [spec],
    });
    for (;;) {
      const progress = await handle.query<MigrationProgress>(Messages.progressQuery);
      if (progress.step === 'restoring') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise((r) => setTimeout(r, 1000));
    await first.kill('SIGKILL');

    const second = spawnWorkerProcess(config);
    try {
      await second.started;
      const result = (await handle.result()) as { adoptedCluster: boolean; instances: unknown[] };
      expect(result.instances).toHaveLength(2);
      const inventory = await emulatorInventory();
      expect(inventory.clusters.filter((c) => c.id === spec.restore.DBClusterIdentifier)).toHaveLength(1);
      expect(inventory.instances.filter((i) => i.clusterId === spec.restore.DBClusterIdentifier)).toHaveLength(2);
    } finally {
      await second.kill('SIGTERM');
      await client.connection.close();
    }
  });
});

void CreateDBClusterCommand;
