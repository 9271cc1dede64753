/**
 * The cutover under a write load when its worker is SIGKILLed at several points (after the freeze, while the
 * writer executes the final position, after the commit point), with and without a second worker: it either
 * completes with equal checksums and the source read-only, or ends with the source writable and the cluster
 * replicating; never a lost write, never a source read-only past freezeTimeout.
 */
import { cutover } from '../../client/temporal';
import { waitForProgress } from './catch-up-helpers';
import { ApplicationFailure, WorkflowFailedError } from '@temporalio/client';
import type { Connection } from 'mysql2/promise';
import { readReplicaPosition, untilExecuted } from '../../scripts/fixtures/replica-position';
import { longestCommitGap, startWriteLoad, verifyLoadArrived, type WriteLoad } from '../../scripts/fixtures/write-load';
import { FailureTypes } from '../../workflows/errors';
import type { MigrationResult } from '../../workflows/types';
import { useSourceMysql } from '../helpers/source-mysql';
import {
  connectClusterOf,
  deleteCluster,
  sourceEvents,
  sourceReadOnly,
  startReplicatingMigration,
  startSafetyStack,
  startWorkerOn,
  stopSafetyStack,
  untilSource,
  type SafetyStack,
} from './cutover-safety-fixture';

const CATCHING_UP = new Set(['catching-up', 'awaiting-cutover']);
const frozen = async (c: Connection): Promise<boolean> => (await sourceReadOnly(c)).superReadOnly;

describe('a cutover whose worker is SIGKILLed, under a write load on a real MySQL 8.0 source', () => {
  const source = useSourceMysql('8.0');
  let stack: SafetyStack;

  beforeAll(async () => {
    stack = await startSafetyStack(source());
  }, 300_000);
  /** How each test ended (either ending is allowed for some kill points), printed for the record. */
  const outcomes: string[] = [];
  afterAll(async () => {
    console.log(outcomes.join('\n'));
    await stopSafetyStack(stack);
  }, 120_000);
  afterEach(async () => {
    // Whatever a test left, the next one starts from a writable source.
    await stack.root.query('SET GLOBAL super_read_only = OFF, GLOBAL read_only = OFF');
  });

  /** Runs a migration to the catch-up, starts the load, asks for the cutover; `kill` decides when to SIGKILL. */
  async function cutoverKilled(opts: {
    freezeTimeout: string;
    killWhen: (root: Connection) => Promise<boolean>;
    /** Before the cutover request, with a master connection to the cluster. */
    hold?: (cluster: Connection) => Promise<void>;
    /** After the kill, before any second worker. */
    afterKill?: (cluster: Connection) => Promise<void>;
    secondWorker: boolean;
  }) {
    const { config, worker } = await startWorkerOn(stack);
    const { handle, clusterId } = await startReplicatingMigration(stack, source(), config.taskQueue, {
      freezeTimeout: opts.freezeTimeout,
    });
    await waitForProgress(handle, (p) => CATCHING_UP.has(p.step), 150_000).catch(async (err: Error) => {
      const progress = JSON.stringify(await handle.query('progress').catch(() => undefined));
      throw new Error(`${err.message}\nprogress: ${progress}\nworker: ${worker.output().slice(-3000)}`);
    });
    const cluster = await connectClusterOf(stack, clusterId);
    const load: WriteLoad = await startWriteLoad({ login: stack.login, ratePerSecond: 200 });
    await load.untilCommitted(300);
    await opts.hold?.(cluster);
    await cutover(stack.client, handle.workflowId, { by: 'cutover-safety test', reason: 'kill during cutover' });
    await untilSource(stack.root, opts.killWhen);
    const killedAt = Date.now();
    await worker.kill('SIGKILL');
    const runningAtKill = (await handle.describe()).status.name;
    await opts.afterKill?.(cluster);
    if (opts.secondWorker) await startWorkerOn(stack, config);
    return { handle, clusterId, cluster, load, killedAt, runningAtKill, config };
  }

  /** The end of the migration: its result, or the CutoverAborted it failed with. */
  async function outcome(handle: { result(): Promise<MigrationResult> }) {
    try {
      return { result: await handle.result() };
    } catch (err) {
      if (!(err instanceof WorkflowFailedError)) throw err;
      const cause = err.cause instanceof ApplicationFailure ? err.cause : (err.cause?.cause as ApplicationFailure);
      return { failure: cause };
    }
  }

  /** The safety properties, whichever way the cutover ended. */
  async function expectSafe(run: Awaited<ReturnType<typeof cutoverKilled>>, freezeTimeoutMs: number) {
    const end = await outcome(run.handle);
    const state = await sourceReadOnly(stack.root);
    if (end.result) {
      const cutover = end.result.cutover!;
      expect(cutover.verification.length).toBeGreaterThan(0);
      expect(cutover.verification.every((v) => v.equal)).toBe(true);
      expect(cutover.ends).toEqual({ source: 'read-only', target: 'detached' });
      expect(cutover.readOnlyMs).toBeLessThan(freezeTimeoutMs);
      expect(state.superReadOnly).toBe(true);
      expect(await readReplicaPosition(run.cluster)).toBeUndefined();
    } else {
      expect(end.failure?.type).toBe(FailureTypes.CutoverAborted);
      expect(state).toEqual({ readOnly: false, superReadOnly: false });
      const replica = await readReplicaPosition(run.cluster);
      expect(replica).toMatchObject({ io: 'Yes', sql: 'Yes' });
    }
    const record = await run.load.stop();
    expect(record.failures).toEqual([]);
    if (!end.result) {
      // Writable again: the longest stretch without a commit is the freeze, and it ended within freezeTimeout.
      expect(longestCommitGap(record).gapMs).toBeLessThan(freezeTimeoutMs + 2_000);
      await untilExecuted(run.cluster, stack.root);
    }
    const arrival = await verifyLoadArrived(run.cluster, record);
    expect(arrival).toMatchObject({ lostWrites: 0, extra: [], ok: true });
    await run.cluster.end();
    await deleteCluster(stack, run.clusterId);
    outcomes.push(
      `${expect.getState().currentTestName}: ${end.result ? `completed, read-only ${end.result.cutover!.readOnlyMs} ms` : `aborted: ${end.failure?.message}`}; ${arrival.committedTransactions} committed, ${arrival.lostWrites} lost`,
    );
    return end;
  }

  it('finishes with a second worker when the first is killed right after the freeze', async () => {
    const run = await cutoverKilled({ freezeTimeout: '60s', killWhen: frozen, secondWorker: true });
    expect(run.runningAtKill).toBe('RUNNING');
    await expectSafe(run, 60_000);
  }, 420_000);

  it('finishes with a second worker when the first is killed while the writer is still executing', async () => {
    const run = await cutoverKilled({
      freezeTimeout: '60s',
      // The cluster's applier waits behind a global read lock, so the final position cannot be reached yet.
      hold: (cluster) => cluster.query('FLUSH TABLES WITH READ LOCK').then(() => undefined),
      killWhen: async (root) => (await frozen(root)) && (await new Promise((r) => setTimeout(r, 1_500)), true),
      afterKill: async (cluster) => {
        const held = await readReplicaPosition(cluster);
        expect(held).toMatchObject({ io: 'Yes', sql: 'Yes' });
        await cluster.query('UNLOCK TABLES');
      },
      secondWorker: true,
    });
    expect(run.runningAtKill).toBe('RUNNING');
    await expectSafe(run, 60_000);
  }, 420_000);

  it('completes the cutover with a second worker when the first is killed after the commit point', async () => {
    const run = await cutoverKilled({
      freezeTimeout: '60s',
      // The guard event is dropped at the commit point (disarmFreezeGuard) while the source stays frozen.
      killWhen: async (root) => (await frozen(root)) && (await sourceEvents(root)) === 0,
      secondWorker: true,
    });
    const end = await expectSafe(run, 60_000);
    expect(end.result).toBeDefined();
  }, 420_000);

  it('makes the source writable at freezeTimeout through its guard event with NO worker, then aborts', async () => {
    const run = await cutoverKilled({ freezeTimeout: '20s', killWhen: frozen, secondWorker: false });
    const frozenSince = run.killedAt;
    expect(await sourceReadOnly(stack.root)).toMatchObject({ superReadOnly: true });
    await untilSource(stack.root, async (c) => !(await sourceReadOnly(c)).readOnly, 40_000);
    const frozenFor = Date.now() - frozenSince;
    expect(frozenFor).toBeLessThan(20_000 + 3_000);
    // A worker coming back later finds the freeze window over: it aborts, and both ends say so.
    await startWorkerOn(stack, run.config);
    const end = await expectSafe(run, 20_000);
    expect(end.failure?.type).toBe(FailureTypes.CutoverAborted);
  }, 420_000);
});
