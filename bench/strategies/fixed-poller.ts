/**
 * Fixed 30 s polling without a limit: DescribeDBClusters every 30 s until `available` or a failure status.
 * aurora-migrate's own cadence before adaptive polling, and the AWS CLI's without its 60-attempt cap: the
 * reference the issue measures our calls per restore-hour against.
 */
import { realMs, sleepMs } from '../lib/settings';
import { SDK_FAILURE_STATUSES } from './sdk-waiter';
import { describeStatuses, type PeerStrategy } from './types';

const DELAY_SECONDS = 30;

/** Fixed 30 s polling as a peer strategy (bounded by maxWaitSeconds only). */
export const fixedPoller: PeerStrategy = {
  key: 'fixed30',
  label: 'fixed 30 s polling (our old default; the CLI without its cap)',
  async watch(rds, clusterId, scale, options) {
    const deadline = Date.now() + realMs(scale, options.maxWaitSeconds);
    for (let polls = 1; ; polls += 1) {
      const statuses = await describeStatuses(rds, clusterId).catch(() => [] as string[]);
      if (statuses.length > 0 && statuses.every((s) => s === 'available')) {
        return { result: 'available', reason: 'available', endedAt: Date.now(), polls };
      }
      const failed = statuses.find((s) => SDK_FAILURE_STATUSES.includes(s) || s === 'migration-failed');
      if (failed) return { result: 'failed', reason: `status ${failed}`, endedAt: Date.now(), polls };
      if (Date.now() > deadline) return { result: 'timeout', reason: 'gave up', endedAt: Date.now(), polls };
      await sleepMs(realMs(scale, DELAY_SECONDS));
    }
  },
};
