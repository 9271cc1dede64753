/**
 * The phases after the instances are available, when the spec has a `replication` section: start replication
 * on the writer from the backup's coordinates (`replicating`), watch it catch up (`catching-up`), wait for the
 * decision (`awaiting-cutover`, manual) or for the lag to stay low (automatic), then cut over (`cutover.ts`).
 * Until the cutover starts the source is only read: a failure or cancellation stops replication and nothing else.
 */
import { ApplicationFailure, CancellationScope, condition, isCancellation, log } from '@temporalio/workflow';
import { msToNumber, type Duration } from '@temporalio/common/lib/time';
import type { WriterLogin } from '../activities/mysql/connect';
import { cutOver } from './cutover';
import { DEFAULT_MAX_LAG_SECONDS, replicationProgress } from './cutover-update';
import { FailureTypes } from './errors';
import type { ProgressTracker } from './progress';
import { CUTOVER_CONSECUTIVE_READS } from './replication-types';
import type { CutoverDecision, CutoverReport, ReplicationProgress, ReplicationSpec } from './replication-types';
import { mysqlCall, mysqlPersistent, mysqlWatch } from './replication-proxies';
import type { BinlogCoordinates, ClusterSummary, InstanceSummary, MigrationInput } from './types';

/** What the catch-up needs from the migration so far. */
export interface CatchUpInput {
  input: MigrationInput;
  replication: ReplicationSpec;
  workflowId: string;
  tracker: ProgressTracker;
  cluster: ClusterSummary;
  /** Writer first. */
  instances: InstanceSummary[];
  /** The backup's coordinates (`xtrabackup_binlog_info`). */
  backupBinlog?: BinlogCoordinates;
  /** The coordinates the cluster's RDS event reported, when it did. */
  recoveredBinlog?: BinlogCoordinates;
  /** Called once the cutover starts (the source is about to be frozen): the failure policy must keep the cluster. */
  onCutoverStarted: () => void;
}

const DEFAULTS = { statusInterval: '10s', cutoverTimeout: '7d' } as const;

/** Replicates, catches up, and cuts over; returns the cutover's report. */
export async function catchUpAndCutover(ctx: CatchUpInput): Promise<CutoverReport> {
  const { replication, tracker, workflowId } = ctx;
  const rep = replicationProgress(tracker);
  const writer = writerLogin(ctx.input, ctx.cluster, ctx.instances);
  const mode = replication.mode ?? 'binlog-position';
  const { source } = replication;

  tracker.enter('replicating');
  let decision: CutoverDecision;
  try {
    rep.start = await mysqlCall('start replication on the writer').startReplication({
      workflowId,
      writer,
      source,
      mode,
      ...(ctx.backupBinlog ? { backupBinlog: ctx.backupBinlog } : {}),
      ...(ctx.recoveredBinlog ? { recoveredBinlog: ctx.recoveredBinlog } : {}),
    });
    rep.ends.target = 'replicating';
    tracker.enter('catching-up');
    const watch = {
      workflowId,
      clusterId: ctx.cluster.DBClusterIdentifier,
      writer,
      source,
      mode,
      maxLagSeconds: replication.maxLagSeconds ?? DEFAULT_MAX_LAG_SECONDS,
      statusIntervalMs: ms(replication.statusInterval ?? DEFAULTS.statusInterval),
    };
    if (replication.cutover === 'automatic') {
      rep.lag = await mysqlWatch('watch replication until caught up').watchReplication({
        ...watch,
        until: 'caught-up',
      });
      rep.cutover = {
        by: 'aurora-migrate',
        reason: `lag at or under ${watch.maxLagSeconds} s on ${CUTOVER_CONSECUTIVE_READS} consecutive reads`,
        at: now(),
        trigger: 'automatic',
      };
      decision = rep.cutover;
    } else {
      decision = await awaitDecision(rep, watch, ms(replication.cutoverTimeout ?? DEFAULTS.cutoverTimeout));
    }
  } catch (err) {
    recordStop(rep, err);
    await CancellationScope.nonCancellable(() => stopReplication(writer, rep));
    throw err;
  }
  tracker.refresh();
  ctx.onCutoverStarted();
  return cutOver({ workflowId, tracker, replication, writer, decision, endpoint: endpointOf(ctx.cluster, writer) });
}

/**
 * Manual cutover: watches replication (one long activity that reports each read through the
 * `replicationObserved` signal) while waiting up to `cutoverTimeout` for the `cutover` update. A stopped
 * replication thread ends the wait with the activity's `ReplicationStopped`.
 */
async function awaitDecision(
  rep: ReplicationProgress,
  watch: Omit<Parameters<ReturnType<typeof mysqlWatch>['watchReplication']>[0], 'until'>,
  timeoutMs: number,
): Promise<CutoverDecision> {
  const scope = new CancellationScope();
  const watching = scope.run(async () => {
    // It runs until cancelled; should it ever return, the next read starts again.
    for (;;) rep.lag = await mysqlWatch('watch replication').watchReplication({ ...watch, until: 'cancelled' });
  });
  try {
    const decided = await Promise.race([condition(() => rep.cutover !== undefined, timeoutMs), watching]);
    if (!decided || !rep.cutover) {
      throw ApplicationFailure.create({
        type: FailureTypes.CutoverAborted,
        nonRetryable: true,
        message:
          'no cutover decision arrived within replication.cutoverTimeout: the source was never made read-only, and ' +
          'replication on the cluster was stopped',
        details: [{ ends: { source: 'writable', target: 'stopped' } }],
      });
    }
    return rep.cutover;
  } finally {
    scope.cancel();
    await watching.catch(() => undefined);
  }
}

/** Keeps why replication stopped (a `ReplicationStopped` failure's details) for progress and the Web UI. */
function recordStop(rep: ReplicationProgress, err: unknown): void {
  if (isCancellation(err)) return;
  const cause = (err as { cause?: unknown })?.cause;
  const failure = cause instanceof ApplicationFailure ? cause : err instanceof ApplicationFailure ? err : undefined;
  if (failure?.type !== FailureTypes.ReplicationStopped) return;
  const stop = failure.details?.[0] as ReplicationProgress['stopped'] | undefined;
  if (stop) rep.stopped = { kind: stop.kind, errno: stop.errno, error: stop.error, fix: stop.fix };
}

/** Stops replication after a failure or cancellation before the cutover; the source is not touched. */
async function stopReplication(writer: WriterLogin, rep: ReplicationProgress): Promise<void> {
  // Also when startReplication failed: it may have configured the channel first, and stopping is idempotent.
  try {
    await mysqlPersistent('stop replication on the writer').stopReplication({ writer });
    rep.ends.target = 'stopped';
  } catch (err) {
    log.error('could not stop replication on the writer', { error: String(err) });
  }
}

/**
 * How the activities log in to the writer: the writer instance's endpoint (else the cluster's) and port, the
 * master user, and the password's origin: the secret the spec names, the secret RDS manages, or the literal
 * (which only ever travels over encrypted payloads, as it did in the input).
 */
export function writerLogin(input: MigrationInput, cluster: ClusterSummary, instances: InstanceSummary[]): WriterLogin {
  const writer = instances.find((i) => i.IsClusterWriter) ?? instances[0];
  const host = writer?.Endpoint ?? cluster.Endpoint;
  if (!host) {
    throw ApplicationFailure.create({
      type: FailureTypes.InvalidInput,
      nonRetryable: true,
      message: 'the cluster reports no writer endpoint: replication needs a writer instance (instances[0])',
    });
  }
  const { restore } = input;
  const login: WriterLogin = { host, port: cluster.Port ?? restore.Port ?? 3306, user: restore.MasterUsername };
  if (restore.MasterUserPasswordSecretArn) login.passwordSecretArn = restore.MasterUserPasswordSecretArn;
  else if (restore.ManageMasterUserPassword && cluster.MasterUserSecretArn) {
    login.passwordSecretArn = cluster.MasterUserSecretArn;
  } else if (restore.MasterUserPassword !== undefined) login.password = restore.MasterUserPassword;
  return login;
}

/** `host:port` the application points at: the cluster's writer endpoint (it follows a failover). */
function endpointOf(cluster: ClusterSummary, writer: WriterLogin): string {
  return `${cluster.Endpoint ?? writer.host}:${cluster.Port ?? writer.port}`;
}

function ms(value: string | number): number {
  return msToNumber(value as Duration);
}

function now(): string {
  return new Date(Date.now()).toISOString();
}
