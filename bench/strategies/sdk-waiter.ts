/**
 * AWS SDK for JavaScript v3 `waitUntilDBClusterAvailable` (@aws-sdk/client-rds 3.1169.0, @smithy/core's
 * runPolling) with its service defaults minDelay 30 s and maxDelay 1800 s. The SDK only takes whole seconds ≥ 1,
 * so the algorithm is reproduced here with scaled delays instead of calling it: first poll at once; the delay
 * before attempt n is random in [minDelay, min(minDelay·2^(n−1), maxDelay)], and maxDelay flat once n exceeds
 * log2(maxDelay/minDelay)+1; a delay that would pass maxWaitTime is shortened to end 0.5 s before it, and the
 * wait times out when the next delay cannot fit. Acceptors: success when every status is `available`; failure on
 * deleted, deleting, failed, incompatible-restore, incompatible-parameters; any exception means retry.
 */
import type { RDSClient } from '@aws-sdk/client-rds';
import { realMs, sleepMs, type TimeScale } from '../lib/settings';
import { describeStatuses, type PeerStrategy, type WatchOptions, type WatchOutcome } from './types';

/** The SDK waiter's failure acceptors (no `migration-failed`). */
export const SDK_FAILURE_STATUSES = [
  'deleted',
  'deleting',
  'failed',
  'incompatible-restore',
  'incompatible-parameters',
];

/** The SDK's delay before `attempt` (≥1), in real ms. */
function backoff(minMs: number, maxMs: number, attempt: number, waitUntil: number, marginMs: number): number {
  const ceiling = Math.log(maxMs / minMs) / Math.log(2) + 1;
  if (attempt > ceiling) return maxMs;
  const capped = Math.min(minMs * 2 ** (attempt - 1), maxMs);
  const waitFor = minMs + Math.random() * (capped - minMs);
  if (Date.now() + waitFor > waitUntil) return Math.max(0, waitUntil - Date.now() - marginMs);
  return waitFor;
}

async function check(
  rds: RDSClient,
  clusterId: string,
): Promise<{ state: 'success' | 'failure' | 'retry'; why: string }> {
  try {
    const statuses = await describeStatuses(rds, clusterId);
    if (statuses.length > 0 && statuses.every((s) => s === 'available')) return { state: 'success', why: 'available' };
    const failed = statuses.find((s) => SDK_FAILURE_STATUSES.includes(s));
    if (failed) return { state: 'failure', why: failed };
    return { state: 'retry', why: statuses.join(',') };
  } catch (err) {
    return { state: 'retry', why: (err as Error).name };
  }
}

/** Runs the SDK waiter's polling loop with scaled delays. */
export async function sdkWaitUntilAvailable(
  rds: RDSClient,
  clusterId: string,
  scale: TimeScale,
  options: WatchOptions & { minDelay?: number; maxDelay?: number },
): Promise<WatchOutcome> {
  const minMs = realMs(scale, options.minDelay ?? 30);
  const maxMs = realMs(scale, options.maxDelay ?? 1800);
  const waitUntil = Date.now() + realMs(scale, options.maxWaitSeconds);
  let polls = 0;
  let last = '';
  for (let attempt = 0; ; attempt += 1) {
    if (attempt > 0) {
      const delay = backoff(minMs, maxMs, attempt, waitUntil, realMs(scale, 0.5));
      if (Date.now() + delay > waitUntil) {
        return { result: 'timeout', reason: `TimeoutError (last status ${last})`, endedAt: Date.now(), polls };
      }
      await sleepMs(delay);
    }
    const { state, why } = await check(rds, clusterId);
    polls += 1;
    last = why;
    if (state === 'success') return { result: 'available', reason: 'SUCCESS', endedAt: Date.now(), polls };
    if (state === 'failure') {
      return { result: 'failed', reason: `{"state":"FAILURE"} status ${why}`, endedAt: Date.now(), polls };
    }
  }
}

/** The SDK v3 waiter with its defaults, as a peer strategy. */
export const sdkWaiter: PeerStrategy = {
  key: 'sdk',
  label: 'AWS SDK v3 waitUntilDBClusterAvailable (30 s…1800 s backoff)',
  watch: (rds, clusterId, scale, options) => sdkWaitUntilAvailable(rds, clusterId, scale, options),
};
