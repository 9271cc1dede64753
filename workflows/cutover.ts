/**
 * The cutover (`cutting-over`): freeze the source, wait until the writer executed its final position, verify the
 * tables, disarm the freeze guard and check the source is still frozen where it was (the commit point), then
 * detach replication. A timer of freezeTimeout races everything before the commit point; a failure, the timer or
 * a cancellation before it puts the source back to writable (non-cancellable) and leaves the cluster replicating.
 * After the commit point the source is never unfrozen: it stays read-only, and the cluster is the new primary.
 */
import { ApplicationFailure, CancellationScope, isCancellation, log, sleep } from '@temporalio/workflow';
import { msToNumber, type Duration } from '@temporalio/common/lib/time';
import type { WriterLogin } from '../activities/mysql/connect';
import { replicationProgress } from './cutover-update';
import { FailureTypes } from './errors';
import type { ProgressTracker } from './progress';
import type {
  CutoverDecision,
  CutoverReport,
  EndStates,
  ReplicationProgress,
  ReplicationSpec,
  SourceFreeze,
  SourcePosition,
  TableVerification,
} from './replication-types';
import { mysqlCall, mysqlCutoverWait, mysqlPersistent } from './replication-proxies';

/** What the cutover needs. */
export interface CutoverInput {
  workflowId: string;
  tracker: ProgressTracker;
  replication: ReplicationSpec;
  writer: WriterLogin;
  decision: CutoverDecision;
  /** `host:port` for the application. */
  endpoint: string;
}

const DEFAULT_FREEZE_TIMEOUT = '5m';
const TIMED_OUT = Symbol('freeze timeout');

/** Runs the cutover; returns its report, or throws `CutoverAborted` (or the cancellation) naming both end states. */
export async function cutOver(c: CutoverInput): Promise<CutoverReport> {
  const { tracker, replication, writer, workflowId } = c;
  const rep = replicationProgress(tracker);
  const { source } = replication;
  const mode = replication.mode ?? 'binlog-position';
  const method = replication.verify ?? 'checksum';
  const freezeTimeoutMs = msToNumber((replication.freezeTimeout ?? DEFAULT_FREEZE_TIMEOUT) as Duration);
  tracker.enter('cutting-over');

  let freezeRequested = false;
  let verification: TableVerification[] = [];
  let freeze: SourceFreeze;
  try {
    freeze = await raceFreezeTimeout(freezeDeadlineMs(freezeTimeoutMs), async () => {
      // Before the call: a freeze that took effect while its activity failed must still be undone.
      freezeRequested = true;
      const frozen = await mysqlCall('freeze the source').freezeSource({ workflowId, source, freezeTimeoutMs });
      rep.freeze = frozen;
      rep.ends.source = 'read-only';
      tracker.refresh();
      rep.lag = await mysqlCutoverWait('await the final position on the writer').awaitExecuted({
        workflowId,
        writer,
        mode,
        target: frozen.position,
      });
      if (method !== 'none') {
        verification = await mysqlCutoverWait(`verify tables (${method})`).verifyTables({ writer, source, method });
      }
      const differing = verification.filter((v) => !v.equal);
      if (differing.length > 0) {
        throw aborted(
          `${differing.length} of ${verification.length} tables differ (${method}): ` +
            differing.map((v) => `${v.table} source ${v.source}, cluster ${v.target}`).join('; '),
        );
      }
      await mysqlCall('disarm the freeze guard').disarmFreezeGuard({ workflowId, source });
      // The commit point: the guard is gone, so only a person can unfreeze the source now. It must still be frozen
      // at the position the cluster executed, else a write slipped through (the guard fired, someone unset it).
      const state = await mysqlCall('check the source is still frozen').readSourceState({ source });
      if (!state.superReadOnly && !state.readOnly) {
        throw aborted('the source became writable before the commit point (its freeze guard fired, or it was unset)');
      }
      if (!samePosition(state.position, frozen.position)) {
        throw aborted(
          `the source moved during the freeze (${describe(frozen.position)} → ${describe(state.position)})`,
        );
      }
      return frozen;
    });
  } catch (err) {
    throw await CancellationScope.nonCancellable(() => abort(err, c, rep, freezeRequested));
  }
  return CancellationScope.nonCancellable(() => commit(c, rep, freeze, verification));
}

/**
 * The workflow's deadline is a little shorter than freezeTimeout (the freeze guard's own deadline), so that the
 * workflow unfreezes first and the guard never fires while the commit is checked.
 */
function freezeDeadlineMs(freezeTimeoutMs: number): number {
  return freezeTimeoutMs - Math.min(10_000, Math.floor(freezeTimeoutMs / 5));
}

/** Runs `work`, cancelling it when `timeoutMs` passes first (then `CutoverAborted`). */
async function raceFreezeTimeout<T>(timeoutMs: number, work: () => Promise<T>): Promise<T> {
  const workScope = new CancellationScope();
  const timerScope = new CancellationScope();
  const timer = timerScope.run(() => sleep(timeoutMs)).then(() => TIMED_OUT);
  const running = workScope.run(work);
  try {
    const winner = await Promise.race([running, timer]);
    if (winner === TIMED_OUT) {
      workScope.cancel();
      // In-flight calls settle first, so the unfreeze that follows comes after any freeze.
      await running.catch(() => undefined);
      throw aborted(`replication.freezeTimeout (${timeoutMs} ms before the guard's deadline) ran out`);
    }
    return winner as T;
  } finally {
    timerScope.cancel();
    await timer.catch(() => undefined);
  }
}

/** After the commit point: detach replication (retried for an hour, never undone) and report. */
async function commit(
  c: CutoverInput,
  rep: ReplicationProgress,
  freeze: SourceFreeze,
  verification: TableVerification[],
): Promise<CutoverReport> {
  try {
    await mysqlPersistent('detach replication from the source').detachReplication({ writer: c.writer });
  } catch (err) {
    rep.ends = { source: 'read-only', target: 'unknown' };
    c.tracker.refresh();
    const cause = causeOf(err);
    throw ApplicationFailure.create({
      type: cause?.type ?? FailureTypes.MysqlUnavailable,
      nonRetryable: true,
      message:
        `the cutover passed its commit point (the source stays read-only at ${describe(freeze.position)}, which the ` +
        `cluster executed) but replication could not be removed: ${cause?.message ?? String(err)}. On the writer run ` +
        'CALL mysql.rds_stop_replication and CALL mysql.rds_reset_external_source (v2: _master), then point the application at it',
      details: [{ ends: rep.ends, freeze }],
    });
  }
  rep.ends = { source: 'read-only', target: 'detached' };
  const completedAt = now();
  const report: CutoverReport = {
    decision: c.decision,
    readOnlyMs: Date.parse(completedAt) - Date.parse(freeze.frozenAt),
    frozenAt: freeze.frozenAt,
    finalPosition: freeze.position,
    verification,
    endpoint: c.endpoint,
    ends: { ...rep.ends },
    completedAt,
  };
  c.tracker.state.cutover = report;
  c.tracker.refresh();
  return report;
}

/**
 * Before the commit point: the source back to writable when a freeze was asked for, the cluster left as it is
 * (replicating). Returns what to throw: the cancellation as is, else `CutoverAborted` naming both end states.
 */
async function abort(err: unknown, c: CutoverInput, rep: ReplicationProgress, freezeRequested: boolean) {
  const cause = causeOf(err);
  const stopped = cause?.type === FailureTypes.ReplicationStopped;
  rep.ends.target = stopped ? 'stopped' : 'replicating';
  let unfreeze = 'the source was never frozen';
  if (freezeRequested) {
    try {
      const undone = await mysqlPersistent('unfreeze the source').unfreezeSource({
        workflowId: c.workflowId,
        source: c.replication.source,
      });
      rep.ends.source = 'writable';
      unfreeze = `the source is writable again (since ${undone.at})`;
    } catch (undoErr) {
      log.error('could not make the source writable again', { error: String(undoErr) });
      rep.ends.source = 'unknown';
      unfreeze =
        `the source could NOT be made writable again (${String(undoErr)}): ` +
        (rep.freeze?.guard === 'event'
          ? 'its freeze guard (a MySQL event on the source) turns read_only off at the freezeTimeout; '
          : '') +
        'or run SET GLOBAL super_read_only = OFF; SET GLOBAL read_only = OFF on it';
    }
  }
  if (stopped) {
    const stop = cause?.details?.[0] as ReplicationProgress['stopped'] | undefined;
    if (stop) rep.stopped = { kind: stop.kind, errno: stop.errno, error: stop.error, fix: stop.fix };
  }
  c.tracker.refresh();
  if (isCancellation(err)) return err;
  const target = stopped ? 'replication on the cluster stopped (see the reason)' : 'the cluster still replicates';
  const ends: EndStates = { ...rep.ends };
  return ApplicationFailure.create({
    type: FailureTypes.CutoverAborted,
    nonRetryable: true,
    message: `cutover aborted: ${cause?.message ?? String(err)}; ${unfreeze}; ${target}. The cluster is kept whatever options.onFailure says, so that the cutover can be tried again`,
    details: [{ ends, freeze: rep.freeze, cause: cause?.type, stopped: rep.stopped }],
  });
}

function aborted(message: string): ApplicationFailure {
  return ApplicationFailure.create({ type: FailureTypes.CutoverAborted, nonRetryable: true, message });
}

/** The ApplicationFailure behind an activity failure (or the failure itself). */
function causeOf(err: unknown): ApplicationFailure | undefined {
  if (err instanceof ApplicationFailure) return err;
  const cause = (err as { cause?: unknown } | undefined)?.cause;
  return cause instanceof ApplicationFailure ? cause : undefined;
}

function samePosition(a: SourcePosition, b: SourcePosition): boolean {
  return a.file === b.file && a.position === b.position && a.gtidExecuted === b.gtidExecuted;
}

function describe(p: SourcePosition): string {
  return `${p.file}:${p.position}${p.gtidExecuted ? ` (${p.gtidExecuted})` : ''}`;
}

function now(): string {
  return new Date(Date.now()).toISOString();
}
