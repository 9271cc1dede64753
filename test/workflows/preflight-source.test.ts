/**
 * The workflow's pre-flight with a `replication` section checks the real source MySQL after reading the backup,
 * in the same report: a source without a binary log stops the migration with PreflightFailed naming the field
 * and the fix, before RestoreDBClusterFromS3. (Started directly on Temporal: the client library still refuses
 * to start a migration with `replication` until catch-up and cutover land.)
 */
import { FailureTypes } from '../../workflows/errors';
import { emulatorCallLog, failureOf, sampleSpec, startMigration, uploadDirectoryBackup } from '../helpers/migration';
import { useSourceMysql } from '../helpers/source-mysql';
import { useTestWorker } from '../helpers/use-test-worker';

const source = useSourceMysql('5.7', { binlog: false, gtid: false });

describe('the source pre-flight of migrateToAurora', () => {
  const tw = useTestWorker();

  test('a source without a binary log is refused before anything is created, after the backup was read', async () => {
    const backup = await uploadDirectoryBackup({ version: '5.7' });
    const spec = sampleSpec(backup);
    // A literal password: the worker's payload codec encrypts it in history.
    spec.replication = { source: { host: source().host, port: source().port, ...source().admin } };
    const handle = await startMigration(tw, spec);
    const failure = await failureOf(handle.result());

    expect(failure.type).toBe(FailureTypes.PreflightFailed);
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toContain('The source MySQL or the AWS environment refuses this migration');
    expect(failure.message).toContain('[SOURCE_BINLOG_OFF] replication.source.host:');
    expect(failure.message).toContain('Fix: In the source’s my.cnf [mysqld] set log-bin=mysql-bin');
    expect(failure.message).not.toContain(source().admin.password);
    const history = await handle.fetchHistory();
    const scheduled = (history.events ?? [])
      .map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name)
      .filter(Boolean);
    expect(scheduled).toEqual(['preflight', 'validateBackup', 'preflightSource']);
    const restores = (await emulatorCallLog('RestoreDBClusterFromS3')).filter(
      (c) => c.clusterId === spec.restore.DBClusterIdentifier,
    );
    expect(restores).toEqual([]);
  });
});
