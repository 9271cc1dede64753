/**
 * The activity proxies of catch-up and cutover, with their option presets. MySQL calls are retried while the
 * server is unreachable (`MysqlUnavailable`) and never on the non-retryable types (`MysqlRejected`,
 * `ReplicationStopped`, `CutoverAborted`, …); the long ones heartbeat, so a killed worker is noticed in 30 s.
 */
import { ActivityCancellationType, type ActivityOptions, proxyActivities } from '@temporalio/workflow';
import type { createActivities } from '../activities';
import { nonRetryableFailureTypes } from './errors';

type Activities = ReturnType<typeof createActivities>;

const MYSQL_RETRY: ActivityOptions['retry'] = {
  initialInterval: '1s',
  backoffCoefficient: 2,
  maximumInterval: '30s',
  nonRetryableErrorTypes: nonRetryableFailureTypes,
};

/**
 * Quick statements (set up, stop, freeze, disarm, read state): 20 s each (a 10 s connect and a few statements),
 * retried for up to 10 minutes. They do not heartbeat, so this timeout is how soon a call whose worker died is
 * retried elsewhere: it must stay well inside a freezeTimeout, or a kill during the commit aborts a cutover that
 * a second worker could have finished. The workflow waits for a cancelled call to settle, so what it does next
 * (unfreeze, stop) never races it.
 */
const QUICK: ActivityOptions = {
  cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  startToCloseTimeout: '20 seconds',
  scheduleToCloseTimeout: '10 minutes',
  retry: MYSQL_RETRY,
};

/** A quick MySQL call, with its summary in the Web UI. */
export function mysqlCall(summary: string) {
  return proxyActivities<Activities>({ ...QUICK, summary });
}

/**
 * The compensations and the commit's last step (unfreeze, detach): retried for an hour, because giving up leaves
 * a frozen source or a replica still attached; both are idempotent.
 */
export function mysqlPersistent(summary: string) {
  return proxyActivities<Activities>({ ...QUICK, scheduleToCloseTimeout: '1 hour', summary });
}

/**
 * Watching replication while it catches up: one activity for the whole catch-up (the history stays flat), as
 * long as a catch-up may last; it heartbeats every status read. A lost connection is retried without end (the
 * workflow's own timeouts and cancellation bound it), a stopped replication thread is not.
 */
export function mysqlWatch(summary: string) {
  return proxyActivities<Activities>({
    startToCloseTimeout: '30 days',
    heartbeatTimeout: '30 seconds',
    retry: { ...MYSQL_RETRY, maximumInterval: '1 minute' },
    summary,
  });
}

/**
 * Cutover waits (the writer executing the final position, verifying the tables): heartbeating, bounded by the
 * workflow's freezeTimeout timer, which cancels them.
 */
export function mysqlCutoverWait(summary: string) {
  return proxyActivities<Activities>({
    // Read-only on both ends: on a timeout the unfreeze must not wait for them to notice their cancellation.
    cancellationType: ActivityCancellationType.TRY_CANCEL,
    startToCloseTimeout: '24 hours',
    heartbeatTimeout: '30 seconds',
    retry: MYSQL_RETRY,
    summary,
  });
}
