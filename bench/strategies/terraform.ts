/**
 * Terraform AWS provider `aws_rds_cluster` with `s3_import`: waitDBClusterCreated through the plugin SDK's
 * StateChangeConf with Delay 30 s and MinTimeout 10 s, which polls after the 30 s delay and then every 10 s.
 * Pending and target sets are the provider's; any other status fails at once ("unexpected state"); up to 20
 * consecutive not-found reads are tolerated; other errors fail. The create timeout defaults to 120 min.
 */
import { DBClusterNotFoundFault } from '@aws-sdk/client-rds';
import { realMs, sleepMs } from '../lib/settings';
import { describeStatuses, type PeerStrategy } from './types';

/** The provider's pending statuses while a cluster is created. */
const PENDING = new Set([
  'backing-up',
  'creating',
  'migrating',
  'modifying',
  'preparing-data-migration',
  'rebooting',
  'resetting-master-credentials',
]);

/** The provider's default `timeouts { create }`, in seconds. */
export const TERRAFORM_DEFAULT_CREATE_TIMEOUT_SECONDS = 120 * 60;

/** Terraform's cadence as a peer strategy; maxWaitSeconds plays `timeouts { create }`. */
export const terraformWaiter: PeerStrategy = {
  key: 'tf',
  label: 'Terraform aws_rds_cluster s3_import (30 s delay, then every 10 s)',
  async watch(rds, clusterId, scale, options) {
    const deadline = Date.now() + realMs(scale, options.maxWaitSeconds);
    await sleepMs(realMs(scale, 30));
    let polls = 0;
    let notFound = 0;
    let last = '';
    for (let wait = 0; ; wait = realMs(scale, 10)) {
      if (Date.now() + wait > deadline) {
        const reason = `timeout while waiting for state to become 'available' (last state: '${last}')`;
        return { result: 'timeout', reason, endedAt: Date.now(), polls };
      }
      await sleepMs(wait);
      polls += 1;
      let status: string | undefined;
      try {
        status = (await describeStatuses(rds, clusterId))[0];
      } catch (err) {
        if (!(err instanceof DBClusterNotFoundFault)) {
          return {
            result: 'failed',
            reason: `reading RDS Cluster: ${(err as Error).name}`,
            endedAt: Date.now(),
            polls,
          };
        }
      }
      if (status === undefined) {
        notFound += 1;
        if (notFound > 20) return { result: 'failed', reason: "couldn't find resource", endedAt: Date.now(), polls };
        continue;
      }
      notFound = 0;
      last = status;
      if (status === 'available') return { result: 'available', reason: 'created', endedAt: Date.now(), polls };
      if (!PENDING.has(status)) {
        const reason = `unexpected state '${status}', wanted target 'available'`;
        return { result: 'failed', reason, endedAt: Date.now(), polls };
      }
    }
  },
};
