import { CancelledFailure } from '@temporalio/common';
import { FailureTypes } from '../../workflows/errors';
import { Messages } from '../../workflows/ids';
import type { ApprovalDecision, MigrationProgress } from '../../workflows/types';
import {
  addEmulatorRule,
  emulatorCallLog,
  emulatorInventory,
  failureOf,
  sampleSpec,
  startMigration,
  startTestWorker,
  uploadDirectoryBackup,
  waitForStep,
} from '../helpers/migration';
import { useTestWorker } from '../helpers/use-test-worker';

describe('failure policy, cancellation and approval', () => {
  const tw = useTestWorker();

  test('cancelling during the instance wait with onFailure retain keeps everything and reports it', async () => {
    const spec = sampleSpec({ ...(await uploadDirectoryBackup({ version: '5.7' })), options: { onFailure: 'retain' } });
    const handle = await startMigration(tw, spec);
    await waitForStep(handle, 'waiting-for-instances');
    await handle.cancel();

    expect(await failureOf(handle.result())).toBeInstanceOf(CancelledFailure);
    const progress = await handle.query<MigrationProgress>(Messages.progressQuery);
    expect(progress.step).toBe('cancelled');
    expect(progress.cleanup?.policy).toBe('retain');
    expect(progress.cleanup?.removed).toEqual([]);
    expect(progress.cleanup?.kept.join(' ')).toContain(`cluster ${spec.restore.DBClusterIdentifier}`);
    expect(progress.cleanup?.kept.join(' ')).toContain(`instance ${spec.instances[0]!.DBInstanceIdentifier}`);
    const inventory = await emulatorInventory();
    expect(inventory.clusters.find((c) => c.id === spec.restore.DBClusterIdentifier)?.status).toBe('available');
  });

  test('cancelling during the cluster wait with onFailure delete removes the cluster it created', async () => {
    const spec = sampleSpec({ ...(await uploadDirectoryBackup({ version: '5.7' })), options: { onFailure: 'delete' } });
    const handle = await startMigration(tw, spec);
    await waitForStep(handle, 'waiting-for-cluster');
    await handle.cancel();

    expect(await failureOf(handle.result())).toBeInstanceOf(CancelledFailure);
    const progress = await handle.query<MigrationProgress>(Messages.progressQuery);
    expect(progress.cleanup?.removed).toEqual([`cluster ${spec.restore.DBClusterIdentifier}`]);
    const cluster = (await emulatorInventory()).clusters.find((c) => c.id === spec.restore.DBClusterIdentifier);
    expect(cluster === undefined || cluster.status === 'deleting').toBe(true);
  });

  test('a failed restore with onFailure delete deletes the instances first, then the cluster', async () => {
    const spec = sampleSpec({
      ...(await uploadDirectoryBackup({ version: '5.7' })),
      readers: 1,
      options: { onFailure: 'delete' },
    });
    await addEmulatorRule({
      match: { instanceId: spec.instances[1]!.DBInstanceIdentifier },
      outcome: { finalStatus: 'incompatible-parameters' },
    });
    const failure = await failureOf((await startMigration(tw, spec)).result());

    expect(failure.type).toBe(FailureTypes.InstanceFailed);
    expect(failure.message).toContain('incompatible-parameters');
    expect(failure.message).toContain('Failure policy delete: removed');
    const deletes = [
      ...(await emulatorCallLog('DeleteDBInstance')).filter((c) =>
        c.instanceId?.startsWith(spec.restore.DBClusterIdentifier),
      ),
      ...(await emulatorCallLog('DeleteDBCluster')).filter((c) => c.clusterId === spec.restore.DBClusterIdentifier),
    ];
    expect(deletes.map((c) => c.action)).toEqual(['DeleteDBInstance', 'DeleteDBInstance', 'DeleteDBCluster']);
  });

  test('with requireApproval the migration waits after validation and proceeds once approved', async () => {
    const spec = sampleSpec({
      ...(await uploadDirectoryBackup({ version: '5.7' })),
      options: { requireApproval: true },
    });
    const handle = await startMigration(tw, spec);
    const waiting = await waitForStep(handle, 'awaiting-approval');
    expect(waiting.validation?.ok).toBe(true);
    const before = await emulatorCallLog('RestoreDBClusterFromS3');
    expect(before.filter((c) => c.clusterId === spec.restore.DBClusterIdentifier)).toEqual([]);

    const decision = await handle.executeUpdate<ApprovalDecision, [{ by: string; reason?: string }]>(
      Messages.approveUpdate,
      { args: [{ by: 'dba-on-call', reason: 'change CHG-1234' }] },
    );
    expect(decision).toMatchObject({ approved: true, by: 'dba-on-call' });
    const result = await handle.result();
    expect(result.approval).toMatchObject({ approved: true, by: 'dba-on-call', reason: 'change CHG-1234' });
  });

  test('a rejected migration fails with who rejected it and makes no RDS call', async () => {
    const spec = sampleSpec({
      ...(await uploadDirectoryBackup({ version: '5.7' })),
      options: { requireApproval: true },
    });
    const handle = await startMigration(tw, spec);
    await waitForStep(handle, 'awaiting-approval');
    await handle.signal(Messages.rejectSignal, { by: 'dba-on-call', reason: 'wrong backup' });

    const failure = await failureOf(handle.result());
    expect(failure.type).toBe(FailureTypes.ApprovalRejected);
    expect(failure.message).toContain('dba-on-call');
    const calls = await emulatorCallLog('RestoreDBClusterFromS3');
    expect(calls.filter((c) => c.clusterId === spec.restore.DBClusterIdentifier)).toEqual([]);
  });

  test('approving a migration that does not require approval is refused', async () => {
    const spec = sampleSpec({
      ...(await uploadDirectoryBackup({ version: '5.7' })),
      options: { requireApproval: false },
    });
    const handle = await startMigration(tw, spec);
    // The validator's message travels as the cause of the client's WorkflowUpdateFailedError.
    const err = await handle
      .executeUpdate(Messages.approveUpdate, { args: [{ by: 'someone' }] })
      .catch((e: unknown) => e);
    expect((err as { cause?: Error }).cause?.message).toMatch(/without options.requireApproval/);
    await handle.result();
  });
});

describe('cancelling while RDS holds the restore request', () => {
  test('with onFailure delete still removes the cluster that request creates', async () => {
    const tw = await startTestWorker();
    try {
      const spec = sampleSpec({
        ...(await uploadDirectoryBackup({ version: '5.7' })),
        options: { onFailure: 'delete' },
      });
      await addEmulatorRule({
        match: { action: 'RestoreDBClusterFromS3', clusterId: spec.restore.DBClusterIdentifier },
        fault: { type: 'latency', latencyMs: 3000, count: 1 },
      });
      const handle = await startMigration(tw, spec);
      await waitForStep(handle, 'restoring');
      await new Promise((r) => setTimeout(r, 500));
      await handle.cancel();

      expect(await failureOf(handle.result())).toBeInstanceOf(CancelledFailure);
      const progress = await handle.query<MigrationProgress>(Messages.progressQuery);
      expect(progress.step).toBe('cancelled');
      expect(progress.cleanup?.removed).toEqual([`cluster ${spec.restore.DBClusterIdentifier}`]);
      const cluster = (await emulatorInventory()).clusters.find((c) => c.id === spec.restore.DBClusterIdentifier);
      expect(cluster === undefined || cluster.status === 'deleting').toBe(true);
    } finally {
      await tw.stop();
    }
  });
});
