import { FailureTypes } from '../../workflows/errors';
import { Messages } from '../../workflows/ids';
import type { MigrationProgress } from '../../workflows/types';
import {
  addEmulatorRule,
  emulatorCallLog,
  failureOf,
  emulatorInventory,
  sampleSpec,
  startMigration,
  uploadDirectoryBackup,
} from '../helpers/migration';
import { useTestWorker } from '../helpers/use-test-worker';
import { testRdsClient } from '../helpers/stack';
import { DescribeDBClustersCommand } from '@aws-sdk/client-rds';

describe('migrateToAurora on the real dev server, S3 server and emulator', () => {
  const tw = useTestWorker();

  test('a valid 5.7 backup becomes an available cluster with a writer and two readers', async () => {
    const backup = await uploadDirectoryBackup({ version: '5.7' });
    const spec = sampleSpec({ ...backup, readers: 2 });
    const handle = await startMigration(tw, spec);
    const result = await handle.result();

    expect(result.cluster.Status).toBe('available');
    expect(result.cluster.Endpoint).toMatch(/\.cluster-/);
    expect(result.cluster.ReaderEndpoint).toMatch(/\.cluster-ro-/);
    expect(result.instances.map((i) => [i.DBInstanceIdentifier, i.DBInstanceStatus, i.IsClusterWriter])).toEqual([
      [`${spec.restore.DBClusterIdentifier}-writer`, 'available', true],
      [`${spec.restore.DBClusterIdentifier}-reader-1`, 'available', false],
      [`${spec.restore.DBClusterIdentifier}-reader-2`, 'available', false],
    ]);
    expect(result.validation.ok).toBe(true);
    expect(result.adoptedCluster).toBe(false);
    for (const step of [
      'validating',
      'restoring',
      'waiting-for-cluster',
      'creating-instances',
      'waiting-for-instances',
    ])
      expect(result.stepDurations[step as keyof typeof result.stepDurations]).toBeGreaterThanOrEqual(0);

    const progress = await handle.query<MigrationProgress>(Messages.progressQuery);
    expect(progress.step).toBe('completed');
    expect(progress.cluster?.history.map((h) => h.status)).toEqual(
      expect.arrayContaining(['creating', 'migrating', 'available']),
    );

    const { DBClusters } = await testRdsClient().send(
      new DescribeDBClustersCommand({ DBClusterIdentifier: spec.restore.DBClusterIdentifier }),
    );
    expect(
      DBClusters?.[0]?.DBClusterMembers?.filter((m) => m.IsClusterWriter).map((m) => m.DBInstanceIdentifier),
    ).toEqual([`${spec.restore.DBClusterIdentifier}-writer`]);
  });

  test('a restore that ends migration-failed fails the migration with the RDS events quoted', async () => {
    const backup = await uploadDirectoryBackup({ version: '5.7' });
    const spec = sampleSpec(backup);
    await addEmulatorRule({
      match: { clusterId: spec.restore.DBClusterIdentifier },
      outcome: { finalStatus: 'migration-failed', eventMessage: 'Table mysql.compression_dictionary is not supported' },
    });
    const handle = await startMigration(tw, spec);
    const failure = await failureOf(handle.result());

    expect(failure.type).toBe(FailureTypes.ClusterFailed);
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toContain('migration-failed');
    expect(failure.message).toContain('compression_dictionary');
    expect(failure.message).toContain('Likely fix:');
    expect(failure.message).toContain('Failure policy retain');
  });

  test.each([
    ['an incremental backup', { version: '5.7' as const, backupType: 'incremental' as const }, '5.7.44'],
    ['a backup whose MySQL major differs from SourceEngineVersion', { version: '8.0' as const }, '5.7.44'],
  ])('%s fails before any RDS create call', async (_title, build, sourceEngineVersion) => {
    const backup = await uploadDirectoryBackup(build);
    const spec = sampleSpec({ ...backup, sourceEngineVersion });
    const handle = await startMigration(tw, spec);
    const failure = await failureOf(handle.result());

    expect(failure.type).toBe(FailureTypes.BackupInvalid);
    expect(failure.nonRetryable).toBe(true);
    const inventory = await emulatorInventory();
    expect(inventory.clusters.map((c) => c.id)).not.toContain(spec.restore.DBClusterIdentifier);
    const calls = await emulatorCallLog('RestoreDBClusterFromS3');
    expect(calls.filter((c) => c.clusterId === spec.restore.DBClusterIdentifier)).toEqual([]);
  });
});
