/**
 * A source whose binary logs were purged after the backup (here: while the cluster is being restored, after the
 * pre-flight looked) cannot be caught up from: the migration fails with the 1236 explanation and its fix before
 * any cutover, replication on the cluster is stopped, and the source was never made read-only.
 */
import type { WorkflowHandle } from '@temporalio/client';
import { FailureTypes } from '../../workflows/errors';
import { Messages } from '../../workflows/ids';
import type { MigrationProgress, MigrationResult } from '../../workflows/types';
import { failureOf, startMigration } from '../helpers/migration';
import { useSourceMysql } from '../helpers/source-mysql';
import { sourceReadOnlyFlags, replicationSpec, rows, useCatchUpRig, waitForProgress } from './catch-up-helpers';

const source = useSourceMysql('8.0');
// A slow instance: time to purge the source's binary logs while the migration waits for it.
const rig = useCatchUpRig(source, { instanceCreatingMs: 8_000 });

test('binlogs purged before catch-up fail the migration with the 1236 explanation, and the source is never frozen', async () => {
  const spec = replicationSpec(rig(), source(), {});
  const handle: WorkflowHandle = await startMigration(rig().worker, spec);
  await waitForProgress(handle, (p) => p.step === 'waiting-for-instances');

  const root = await source().rootConnection();
  try {
    await root.query('FLUSH BINARY LOGS');
    const logs = await rows<{ Log_name: string }>(root, 'SHOW BINARY LOGS');
    const newest = logs[logs.length - 1]!.Log_name;
    await root.query('PURGE BINARY LOGS TO ?', [newest]);
    const left = await rows<{ Log_name: string }>(root, 'SHOW BINARY LOGS');
    expect(left.map((l) => l.Log_name)).not.toContain(rig().backup.binlog.file);
  } finally {
    await root.end();
  }

  const failure = await failureOf(handle.result() as Promise<MigrationResult>);
  expect(failure.type).toBe(FailureTypes.ReplicationStopped);
  expect(failure.message).toMatch(/1236/);

  const progress = await handle.query<MigrationProgress>(Messages.progressQuery);
  expect(progress.step).toBe('failed');
  expect(progress.replication?.stopped).toMatchObject({ errno: 1236 });
  expect(progress.replication?.stopped?.fix).toMatch(/backup/i);
  expect(progress.replication?.freeze).toBeUndefined();
  expect(progress.replication?.cutover).toBeUndefined();
  expect(progress.replication?.ends).toEqual({ source: 'writable', target: 'stopped' });

  expect(await sourceReadOnlyFlags(source())).toEqual({ ro: 0, sro: 0 });
}, 300_000);
