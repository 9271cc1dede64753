/**
 * Cancelling a migration with replication under a write load: during catch-up the source is never touched and
 * replication is stopped (onFailure retain keeps the cluster); during the cutover the source is writable again
 * and no write the load saw committed is lost.
 */
import { cutover } from '../../client/temporal';
import { waitForProgress } from './catch-up-helpers';
import { WorkflowFailedError } from '@temporalio/client';
import type { Connection } from 'mysql2/promise';
import { readReplicaPosition } from '../../scripts/fixtures/replica-position';
import { startWriteLoad, verifyLoadArrived } from '../../scripts/fixtures/write-load';
import { useSourceMysql } from '../helpers/source-mysql';
import {
  connectClusterOf,
  deleteCluster,
  sourceReadOnly,
  startReplicatingMigration,
  startSafetyStack,
  startWorkerOn,
  stopSafetyStack,
  untilSource,
  type SafetyStack,
} from './cutover-safety-fixture';

const CATCHING_UP = new Set(['catching-up', 'awaiting-cutover']);

describe('a migration with replication cancelled under a write load on a real MySQL 8.0 source', () => {
  const source = useSourceMysql('8.0');
  let stack: SafetyStack;

  beforeAll(async () => {
    stack = await startSafetyStack(source());
  }, 300_000);
  afterAll(() => stopSafetyStack(stack), 120_000);

  async function catchingUp() {
    const { config } = await startWorkerOn(stack);
    const { handle, clusterId } = await startReplicatingMigration(stack, source(), config.taskQueue);
    await waitForProgress(handle, (p) => CATCHING_UP.has(p.step));
    const cluster = await connectClusterOf(stack, clusterId);
    const load = await startWriteLoad({ login: stack.login, ratePerSecond: 200 });
    await load.untilCommitted(300);
    return { handle, clusterId, cluster, load };
  }

  async function expectCancelled(handle: { result(): Promise<unknown> }) {
    const err = await handle.result().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(WorkflowFailedError);
    expect((err as WorkflowFailedError).cause?.name).toBe('CancelledFailure');
  }

  it('stops replication and never touches the source when cancelled during catch-up', async () => {
    const run = await catchingUp();
    await run.handle.cancel();
    await expectCancelled(run.handle);
    const record = await run.load.stop();
    expect(record.refusedTimes).toEqual([]);
    expect(record.failures).toEqual([]);
    expect(await sourceReadOnly(stack.root)).toEqual({ readOnly: false, superReadOnly: false });
    // Retained and stopped: replication is still configured on the cluster, its threads are not running.
    expect(await readReplicaPosition(run.cluster)).toMatchObject({ io: 'No', sql: 'No' });
    await run.cluster.end();
    await deleteCluster(stack, run.clusterId);
  }, 420_000);

  it('puts the source back to writable when cancelled during the cutover, and loses no write', async () => {
    const run = await catchingUp();
    const hold: Connection = run.cluster;
    // The applier waits behind a global read lock, so the cutover is still waiting when it is cancelled.
    await hold.query('FLUSH TABLES WITH READ LOCK');
    await cutover(stack.client, run.handle.workflowId, { by: 'cutover-safety test', reason: 'cancel during cutover' });
    await untilSource(stack.root, async (c) => (await sourceReadOnly(c)).superReadOnly);
    const frozenAt = Date.now();
    await run.handle.cancel();
    await expectCancelled(run.handle);
    expect(await sourceReadOnly(stack.root)).toEqual({ readOnly: false, superReadOnly: false });
    expect(Date.now() - frozenAt).toBeLessThan(30_000);
    await hold.query('UNLOCK TABLES');
    const record = await run.load.stop();
    expect(record.failures).toEqual([]);
    expect(record.refusedTimes.length).toBeGreaterThan(0);
    // Replication is stopped per onFailure retain, or still running: either way everything committed before it
    // stopped is on the cluster once it has applied what it fetched, and the source, writable, has the rest.
    const replica = await readReplicaPosition(run.cluster);
    expect(replica).toBeDefined();
    const onSource = await verifyLoadArrived(stack.root, record);
    expect(onSource).toMatchObject({ lostWrites: 0, ok: true });
    await run.cluster.end();
    await deleteCluster(stack, run.clusterId);
  }, 420_000);
});
