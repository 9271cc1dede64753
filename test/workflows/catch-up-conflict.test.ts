/**
 * A row written on the cluster itself, then the same key written on the source: replication stops with 1062,
 * the migration fails with that explanation before any cutover, the cluster ends with replication stopped, and
 * the source is untouched (never frozen, writable, its own row as written). Real 5.7 source and cluster.
 */
import type { WorkflowHandle } from '@temporalio/client';
import { SAMPLE_SCHEMA } from '../../scripts/fixtures/real-data';
import { FailureTypes } from '../../workflows/errors';
import { Messages } from '../../workflows/ids';
import type { MigrationProgress, MigrationResult } from '../../workflows/types';
import { failureOf, startMigration } from '../helpers/migration';
import { useSourceMysql } from '../helpers/source-mysql';
import {
  sourceReadOnlyFlags,
  connectCluster,
  replicationSpec,
  rows,
  useCatchUpRig,
  waitForProgress,
} from './catch-up-helpers';

const source = useSourceMysql('5.7');
const rig = useCatchUpRig(source);

const INSERT = `INSERT INTO ${SAMPLE_SCHEMA}.customers (id, name, email, city, created_at) VALUES (?, ?, ?, ?, NOW())`;
const ID = 900_001;

test('a key written on the cluster and then on the source stops replication with 1062, explained; the source is untouched', async () => {
  const spec = replicationSpec(rig(), source(), {});
  const handle: WorkflowHandle = await startMigration(rig().worker, spec);
  await waitForProgress(handle, (p) => p.step === 'awaiting-cutover');

  const cluster = await connectCluster(rig().rds, spec.restore.DBClusterIdentifier);
  try {
    await cluster.query(INSERT, [ID, 'written on the cluster', 'cluster@example.com', 'Nowhere']);
  } finally {
    await cluster.end();
  }
  const admin = await source().adminConnection();
  try {
    await admin.query(INSERT, [ID, 'written on the source', 'source@example.com', 'Oslo']);
  } finally {
    await admin.end();
  }

  const failure = await failureOf(handle.result() as Promise<MigrationResult>);
  expect(failure.type).toBe(FailureTypes.ReplicationStopped);
  expect(failure.message).toMatch(/1062/);

  const progress = await handle.query<MigrationProgress>(Messages.progressQuery);
  expect(progress.step).toBe('failed');
  expect(progress.replication?.stopped).toMatchObject({ kind: 'target-diverged', errno: 1062 });
  expect(progress.replication?.stopped?.fix).toMatch(/diverged/);
  expect(progress.replication?.freeze).toBeUndefined();
  expect(progress.replication?.cutover).toBeUndefined();
  expect(progress.replication?.ends).toEqual({ source: 'writable', target: 'stopped' });

  expect(await sourceReadOnlyFlags(source())).toEqual({ ro: 0, sro: 0 });
  const check = await source().adminConnection();
  try {
    const [row] = await rows<{ name: string }>(check, `SELECT name FROM ${SAMPLE_SCHEMA}.customers WHERE id = ?`, [ID]);
    expect(row).toEqual({ name: 'written on the source' });
    await check.query(INSERT, [ID + 1, 'the source still takes writes', 'after@example.com', 'Bergen']);
  } finally {
    await check.end();
  }
}, 300_000);
