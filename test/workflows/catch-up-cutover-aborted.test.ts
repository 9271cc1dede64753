/**
 * A cutover that cannot finish aborts before its commit point: a table that differs, or a writer that cannot
 * execute the final position within freezeTimeout. The source, frozen for it, is writable again (within
 * freezeTimeout); the cluster still replicates from it (a write on the source still arrives); and the cluster is
 * kept although `onFailure` is `delete`, so that the cutover can be tried again. Real 8.0 source and cluster.
 */
import { DescribeDBClustersCommand } from '@aws-sdk/client-rds';
import type { WorkflowHandle } from '@temporalio/client';
import { cutover } from '../../client/temporal';
import { SAMPLE_SCHEMA } from '../../scripts/fixtures/real-data';
import { FailureTypes } from '../../workflows/errors';
import { Messages } from '../../workflows/ids';
import type { MigrationProgress, MigrationResult } from '../../workflows/types';
import { failureOf, startMigration } from '../helpers/migration';
import { useSourceMysql } from '../helpers/source-mysql';
import {
  sourceReadOnlyFlags,
  connectCluster,
  eventually,
  replicationSpec,
  rows,
  useCatchUpRig,
  waitForProgress,
} from './catch-up-helpers';

const source = useSourceMysql('8.0');
const rig = useCatchUpRig(source);

const INSERT = 'INSERT INTO customers (id, name, email, city, created_at) VALUES (?, ?, ?, ?, NOW())';

test('a table that differs aborts the cutover: the source is writable again and the cluster replicates, kept', async () => {
  const spec = replicationSpec(rig(), source(), {});
  spec.options = { ...spec.options, onFailure: 'delete' };
  const clusterId = spec.restore.DBClusterIdentifier;
  const handle: WorkflowHandle = await startMigration(rig().worker, spec);
  await waitForProgress(handle, (p) => p.step === 'awaiting-cutover');

  // A row written on the cluster itself, which replication never brings: customers now differs.
  const cluster = await connectCluster(rig().rds, clusterId);
  try {
    await cluster.query(
      `INSERT INTO ${SAMPLE_SCHEMA}.customers (id, name, email, city, created_at) VALUES (?, ?, ?, ?, NOW())`,
      [800_001, 'only on the cluster', 'cluster-only@example.com', 'Nowhere'],
    );
  } finally {
    await cluster.end();
  }

  await cutover(rig().worker.client, handle.workflowId, { by: 'alice' });
  const failure = await failureOf(handle.result() as Promise<MigrationResult>);
  expect(failure.type).toBe(FailureTypes.CutoverAborted);
  expect(failure.nonRetryable).toBe(true);
  expect(failure.message).toContain(`${SAMPLE_SCHEMA}.customers`);
  expect(failure.message).toContain('the source is writable again');
  expect(failure.message).toContain('the cluster still replicates');

  const progress = await handle.query<MigrationProgress>(Messages.progressQuery);
  expect(progress.step).toBe('failed');
  expect(progress.replication?.freeze?.position.file).toMatch(/^mysql-bin\./);
  expect(progress.replication?.ends).toEqual({ source: 'writable', target: 'replicating' });
  expect(progress.cutover).toBeUndefined();
  expect(progress.cleanup).toMatchObject({ policy: 'delete', removed: [] });
  expect(progress.cleanup?.kept).toContain(clusterId);

  // The source takes writes again, and they still reach the cluster.
  expect(await sourceReadOnlyFlags(source())).toEqual({ ro: 0, sro: 0 });
  const admin = await source().adminConnection(SAMPLE_SCHEMA);
  try {
    await admin.query(INSERT, [800_002, 'after the abort', 'after-abort@example.com', 'Oslo']);
  } finally {
    await admin.end();
  }
  const again = await connectCluster(rig().rds, clusterId);
  try {
    await eventually(async () => {
      const [row] = await rows<{ n: number }>(
        again,
        `SELECT COUNT(*) AS n FROM ${SAMPLE_SCHEMA}.customers WHERE id = 800002`,
      );
      return Number(row!.n) === 1;
    });
    const [status] = await rows<{ Slave_IO_Running: string; Slave_SQL_Running: string }>(again, 'SHOW SLAVE STATUS');
    expect(status).toMatchObject({ Slave_IO_Running: 'Yes', Slave_SQL_Running: 'Yes' });
  } finally {
    await again.end();
  }
  const described = await rig().rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: clusterId }));
  expect(described.DBClusters?.[0]?.Status).toBe('available');
}, 300_000);

test('a writer that cannot catch up within freezeTimeout aborts it: the source is writable again before the timeout', async () => {
  const spec = replicationSpec(rig(), source(), { freezeTimeout: '10s' });
  const clusterId = spec.restore.DBClusterIdentifier;
  const handle: WorkflowHandle = await startMigration(rig().worker, spec);
  await waitForProgress(handle, (p) => p.step === 'awaiting-cutover');

  // A session on the cluster holds customers locked: the replica cannot apply the next write to it.
  const locker = await connectCluster(rig().rds, clusterId);
  try {
    await locker.query(`LOCK TABLES ${SAMPLE_SCHEMA}.customers WRITE`);
    const admin = await source().adminConnection(SAMPLE_SCHEMA);
    try {
      await admin.query(INSERT, [800_101, 'stuck behind a lock', 'stuck@example.com', 'Bergen']);
    } finally {
      await admin.end();
    }

    await cutover(rig().worker.client, handle.workflowId, { by: 'alice' });
    const failure = await failureOf(handle.result() as Promise<MigrationResult>);
    expect(failure.type).toBe(FailureTypes.CutoverAborted);
    expect(failure.message).toContain('replication.freezeTimeout');
    const progress = await handle.query<MigrationProgress>(Messages.progressQuery);
    expect(progress.replication?.ends).toEqual({ source: 'writable', target: 'replicating' });
    const frozenAt = Date.parse(progress.replication!.freeze!.frozenAt);
    const unfrozenAt = Date.parse(/writable again \(since ([^)]+)\)/.exec(failure.message)![1]!);
    expect(unfrozenAt - frozenAt).toBeGreaterThan(0);
    expect(unfrozenAt - frozenAt).toBeLessThan(10_000);
  } finally {
    await locker.query('UNLOCK TABLES');
    await locker.end();
  }

  expect(await sourceReadOnlyFlags(source())).toEqual({ ro: 0, sro: 0 });
  const cluster = await connectCluster(rig().rds, clusterId);
  try {
    await eventually(async () => {
      const [row] = await rows<{ n: number }>(
        cluster,
        `SELECT COUNT(*) AS n FROM ${SAMPLE_SCHEMA}.customers WHERE id = 800101`,
      );
      return Number(row!.n) === 1;
    });
  } finally {
    await cluster.end();
  }
}, 300_000);
