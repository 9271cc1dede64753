import { preflightSpec } from '../../client/validation';
import { FailureTypes } from '../../workflows/errors';
import type { MigrationInput } from '../../workflows/types';
import type { RecordedValue } from '../../emulator/calls';
import {
  emulatorCallLog,
  emulatorInventory,
  failureOf,
  sampleSpec,
  startMigration,
  uploadDirectoryBackup,
} from '../helpers/migration';
import { useTestWorker } from '../helpers/use-test-worker';

/** A value as the emulator's call log records it: every leaf a wire string, lists as arrays. */
function wire(value: unknown): RecordedValue | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) return value.map((v) => wire(v) as RecordedValue);
  if (typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .map(([k, v]) => [k, wire(v)] as const)
        .filter(([, v]) => v !== undefined),
    ) as RecordedValue;
  }
  return typeof value === 'string' ? value : JSON.stringify(value);
}

async function createCallsFor(spec: MigrationInput) {
  const cluster = spec.restore.DBClusterIdentifier;
  const restores = (await emulatorCallLog('RestoreDBClusterFromS3')).filter((c) => c.clusterId === cluster);
  const instances = (await emulatorCallLog('CreateDBInstance')).filter((c) =>
    spec.instances.some((i) => i.DBInstanceIdentifier === c.instanceId),
  );
  return { restores, instances };
}

describe('the pre-flight step of migrateToAurora', () => {
  const tw = useTestWorker();

  test('a migration whose pre-flight has errors creates nothing and names each field and fix', async () => {
    const backup = await uploadDirectoryBackup({ version: '5.7' });
    const spec = sampleSpec({ ...backup, readers: 1 });
    spec.instances[1]!.DBInstanceClass = 'db.serverless'; // not offered on Aurora MySQL 2
    spec.restore.StorageEncrypted = true;
    spec.restore.KmsKeyId = 'alias/no-such-key';
    const failure = await failureOf(startMigration(tw, spec).then((h) => h.result()));

    expect(failure.type).toBe(FailureTypes.PreflightFailed);
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toContain('[INSTANCE_CLASS_NOT_ORDERABLE] instances[1].DBInstanceClass:');
    expect(failure.message).toContain('[KMS_KEY_NOT_FOUND] restore.KmsKeyId:');
    expect(failure.message).toContain('Fix:');
    const calls = await createCallsFor(spec);
    expect(calls.restores).toEqual([]);
    expect(calls.instances).toEqual([]);
    const inventory = await emulatorInventory();
    expect(inventory.clusters.map((c) => c.id)).not.toContain(spec.restore.DBClusterIdentifier);
  });

  test('a spec for another Region is refused before the backup is read or anything is created', async () => {
    const backup = await uploadDirectoryBackup({ version: '5.7' });
    const spec = sampleSpec(backup);
    spec.region = 'eu-west-1';
    const handle = await startMigration(tw, spec);
    const failure = await failureOf(handle.result());

    expect(failure.type).toBe(FailureTypes.PreflightFailed);
    expect(failure.message).toContain('[PREFLIGHT_REGION_MISMATCH] region:');
    const history = await handle.fetchHistory();
    const scheduled = (history.events ?? [])
      .map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name)
      .filter(Boolean);
    expect(scheduled).toEqual(['preflight']);
    expect((await createCallsFor(spec)).restores).toEqual([]);
  });

  test('the dry run prints exactly the requests the migration then sends', async () => {
    const backup = await uploadDirectoryBackup({ version: '5.7' });
    const spec = sampleSpec({ ...backup, readers: 1, tags: [{ Key: 'team', Value: 'orders' }] });
    spec.restore.DBClusterParameterGroupName = 'default.aurora-mysql5.7';
    spec.instances[0]!.PromotionTier = 0;
    const dryRun = await preflightSpec(tw.config, spec);
    expect(dryRun.ok).toBe(true);

    const result = await (await startMigration(tw, spec)).result();
    expect(result.cluster.Status).toBe('available');
    const calls = await createCallsFor(spec);
    expect(calls.restores.map((c) => c.request)).toEqual([wire(dryRun.requests.restoreCluster)]);
    const sent = Object.fromEntries(calls.instances.map((c): [string, unknown] => [c.instanceId ?? '', c.request]));
    expect(sent).toEqual(
      Object.fromEntries(dryRun.requests.createInstances.map((r) => [r.DBInstanceIdentifier, wire(r)])),
    );
  });
});
