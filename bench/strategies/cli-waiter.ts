/**
 * `aws rds wait db-cluster-available` (botocore waiter DBClusterAvailable): DescribeDBClusters at once and then
 * every 30 s, 60 attempts at most, then "Max attempts exceeded" (exit 255). Not configurable from the CLI.
 * Acceptors as the current model: success when all `available`; failure on deleted, deleting, failed,
 * incompatible-restore, incompatible-parameters; an error response matching no acceptor fails at once.
 */
import { realMs, sleepMs } from '../lib/settings';
import { SDK_FAILURE_STATUSES } from './sdk-waiter';
import { describeStatuses, type PeerStrategy } from './types';

/** Seconds between polls. */
const DELAY_SECONDS = 30;
/** Polls before giving up. */
const MAX_ATTEMPTS = 60;

/** The AWS CLI waiter as a peer strategy (ignores maxWaitSeconds: the CLI cannot change its limits). */
export const cliWaiter: PeerStrategy = {
  key: 'cli',
  label: 'AWS CLI `rds wait db-cluster-available` (30 s × 60)',
  async watch(rds, clusterId, scale) {
    let last = '';
    for (let attempt = 1; ; attempt += 1) {
      let statuses: string[];
      try {
        statuses = await describeStatuses(rds, clusterId);
      } catch (err) {
        const reason = `Waiter DBClusterAvailable failed: An error occurred (${(err as Error).name})`;
        return { result: 'failed', reason, endedAt: Date.now(), polls: attempt };
      }
      last = statuses.join(',');
      if (statuses.length > 0 && statuses.every((s) => s === 'available')) {
        return { result: 'available', reason: 'exit 0', endedAt: Date.now(), polls: attempt };
      }
      const failed = statuses.find((s) => SDK_FAILURE_STATUSES.includes(s));
      if (failed) {
        const reason = `Waiter encountered a terminal failure state: matched "${failed}"`;
        return { result: 'failed', reason, endedAt: Date.now(), polls: attempt };
      }
      if (attempt >= MAX_ATTEMPTS) {
        const reason = `Max attempts exceeded (exit 255; last status ${last})`;
        return { result: 'timeout', reason, endedAt: Date.now(), polls: attempt };
      }
      await sleepMs(realMs(scale, DELAY_SECONDS));
    }
  },
};
