/**
 * Waiting for a cluster or instance, Temporal's "infrequent polling" way: one check activity whose retry
 * policy is the poll loop (history does not grow per poll, no worker slot is held between polls), plus an
 * early wake-up: an `rdsEvent` signal about the resource cancels the pending retry and checks at once.
 *
 * With `adaptive`, the retry policy's fixed interval is only the fallback (for failures that name no delay, such
 * as throttling): each not-ready read names its own next delay (`ApplicationFailure.nextRetryDelay`, which the
 * server honours over `maximumInterval` since 1.24.2), sparse while the restore's predicted end is far, dense near
 * it. Retries still write no history events, and the early wake-up still cuts any delay short.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  condition,
  isCancellation,
  proxyActivities,
  TimeoutFailure,
} from '@temporalio/workflow';
import type { createActivities } from '../activities';
import type { CheckStatusInput } from '../activities/rds';
import { FailureTypes, nonRetryableFailureTypes } from './errors';
import type { ClusterSummary, InstanceSummary } from './types';

type Activities = ReturnType<typeof createActivities>;

/** What to wait for, and how. */
export interface WaitOptions {
  kind: 'cluster' | 'instance';
  id: string;
  workflowId: string;
  /** Time between status reads, in ms: the fixed interval, or the densest one when `adaptive` is given. */
  pollIntervalMs: number;
  /**
   * Let each status read choose the next one's delay (`nextRetryDelay`), between `pollIntervalMs` and
   * `maxPollIntervalMs`, from the restore's predicted end. Absent on histories recorded before this existed.
   */
  adaptive?: {
    maxPollIntervalMs: number;
    /** What the restore's end is predicted from (cluster waits only). */
    restore?: { startedAt: string; backupBytes: number };
  };
  /** Overall deadline of this wait, in ms from now. */
  timeoutMs: number;
  /** How many early-wake events for this resource have arrived so far (monotonic). */
  wakeCount: () => number;
}

/** Waits for the cluster; resolves with it once available. */
export async function waitForCluster(options: Omit<WaitOptions, 'kind'>): Promise<ClusterSummary> {
  return (await waitForAvailable({ ...options, kind: 'cluster' })) as ClusterSummary;
}

/** Waits for one instance; resolves with it once available. */
export async function waitForInstance(options: Omit<WaitOptions, 'kind'>): Promise<InstanceSummary> {
  return (await waitForAvailable({ ...options, kind: 'instance' })) as InstanceSummary;
}

/** Resolves with the check activity's result once the resource is available; fails on terminal states. */
async function waitForAvailable(options: WaitOptions): Promise<ClusterSummary | InstanceSummary> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw timedOut(options);
    const checks = proxyActivities<Activities>({
      startToCloseTimeout: '1 minute',
      heartbeatTimeout: '30 seconds',
      scheduleToCloseTimeout: remaining,
      summary: `poll ${options.kind} ${options.id}`,
      retry: {
        initialInterval: options.pollIntervalMs,
        backoffCoefficient: 1,
        maximumInterval: options.pollIntervalMs,
        nonRetryableErrorTypes: nonRetryableFailureTypes,
      },
    });
    const wakeBefore = options.wakeCount();
    const scope = new CancellationScope();
    const input = checkInput(options, deadline);
    const read = (): Promise<ClusterSummary | InstanceSummary> =>
      options.kind === 'cluster' ? checks.checkClusterAvailable(input) : checks.checkInstanceAvailable(input);
    const check = scope.run(read);
    const woken = condition(() => options.wakeCount() > wakeBefore).then(() => 'woken' as const);
    try {
      const winner = await Promise.race([check, woken]);
      if (winner !== 'woken') return winner;
    } catch (err) {
      if (err instanceof ActivityFailure && err.cause instanceof TimeoutFailure) throw timedOut(options);
      if (isCancellation(err) && options.wakeCount() > wakeBefore) continue;
      throw err;
    }
    // An event arrived first: drop the pending retry and read the status now.
    scope.cancel();
    await check.catch((err: unknown) => {
      if (!isCancellation(err)) throw err;
    });
  }
}

/** The check's input: the resource, and with adaptive polling the cadence limits and the wait's deadline. */
function checkInput(options: WaitOptions, deadline: number): CheckStatusInput {
  const input: CheckStatusInput = { workflowId: options.workflowId, id: options.id };
  if (!options.adaptive) return input;
  input.polling = {
    minMs: options.pollIntervalMs,
    maxMs: options.adaptive.maxPollIntervalMs,
    deadlineAt: new Date(deadline).toISOString(),
  };
  if (options.adaptive.restore) input.restore = options.adaptive.restore;
  return input;
}

function timedOut(options: WaitOptions): ApplicationFailure {
  return ApplicationFailure.create({
    type: FailureTypes.WaitTimedOut,
    nonRetryable: true,
    message:
      `DB ${options.kind} ${options.id} did not become available within the deadline; it is still being ` +
      'created and may yet finish: check it in the RDS console, or raise options.clusterTimeout/instanceTimeout.',
    details: [{ kind: options.kind, id: options.id }],
  });
}
