/**
 * The messages of catch-up and cutover: the `cutover` update that starts a manual cutover, and the
 * `replicationObserved` signal through which the watching activity reports each status read.
 */
import { defineSignal, defineUpdate, setHandler } from '@temporalio/workflow';
import { Messages } from './ids';
import type { ProgressTracker } from './progress';
import type { CutoverDecision, CutoverRequest, ReplicationLag, ReplicationProgress } from './replication-types';
import type { MigrationInput } from './types';

/** Start a manual cutover; answers the recorded decision. */
export const cutoverUpdate = defineUpdate<CutoverDecision, [CutoverRequest]>(Messages.cutoverUpdate);
/** One read of replication status, from the watching activity. */
export const replicationObservedSignal = defineSignal<[ReplicationLag]>(Messages.replicationObservedSignal);

/** The default lag, in seconds, under which a manual cutover is shown as "caught up" (the spec's default too). */
export const DEFAULT_MAX_LAG_SECONDS = 5;

/** Steps in which a cutover decision is accepted. */
const DECIDABLE_STEPS = ['catching-up', 'awaiting-cutover'];

/** The replication part of progress, created on first use (its target is unknown until replication starts). */
export function replicationProgress(tracker: ProgressTracker): ReplicationProgress {
  tracker.state.replication ??= { ends: { source: 'writable', target: 'unknown' } };
  return tracker.state.replication;
}

/** True when a status read shows both threads running and the lag at or under the threshold. */
export function isCaughtUp(lag: ReplicationLag, maxLagSeconds: number): boolean {
  return (
    lag.ioRunning === 'Yes' &&
    lag.sqlRunning === 'Yes' &&
    lag.secondsBehind !== null &&
    lag.secondsBehind <= maxLagSeconds
  );
}

/**
 * Installs the `cutover` update and the `replicationObserved` signal. The update's validator refuses, naming what
 * to do, when the migration has no replication section, cuts over automatically, is not catching up or waiting
 * for the decision, `by` is empty, or a decision is already recorded; a refused update leaves no trace in history.
 */
export function installReplicationHandlers(tracker: ProgressTracker, input: MigrationInput): void {
  const replication = input.replication;
  const id = tracker.state.workflowId;
  setHandler(
    cutoverUpdate,
    ({ by, reason }) => {
      const rep = replicationProgress(tracker);
      rep.cutover ??= { by: by.trim(), ...(reason ? { reason } : {}), at: now(), trigger: 'manual' };
      tracker.refresh();
      return rep.cutover;
    },
    {
      validator: (request) => {
        if (!replication) {
          throw new Error(
            'this migration was started without a replication section: there is nothing to cut over; point the application at the cluster yourself',
          );
        }
        if (replication.cutover === 'automatic') {
          throw new Error(
            'this migration cuts over automatically (replication.cutover: automatic) once the lag stays under replication.maxLagSeconds; nothing to decide',
          );
        }
        const decided = tracker.state.replication?.cutover;
        if (decided) throw new Error(`the cutover was already decided by ${decided.by} at ${decided.at}`);
        const step = tracker.state.step;
        if (!DECIDABLE_STEPS.includes(step)) {
          throw new Error(
            `the migration is at step ${step}: a cutover is decided while catching-up or awaiting-cutover; follow it with aurora-migrate watch ${id}`,
          );
        }
        const by: unknown = (request as Partial<CutoverRequest> | undefined)?.by;
        if (typeof by !== 'string' || !by.trim()) throw new Error('"by" must name who decides');
      },
    },
  );
  setHandler(replicationObservedSignal, (lag) => {
    if (!replication || !lag) return;
    const rep = replicationProgress(tracker);
    rep.lag = lag;
    // A manual cutover: once caught up, the migration waits for the decision (the step says so, and the
    // current details show the command).
    const max = replication.maxLagSeconds ?? DEFAULT_MAX_LAG_SECONDS;
    if (replication.cutover !== 'automatic' && tracker.state.step === 'catching-up' && isCaughtUp(lag, max)) {
      tracker.enter('awaiting-cutover');
    } else {
      tracker.refresh();
    }
  });
}

function now(): string {
  return new Date(Date.now()).toISOString();
}
