/**
 * What happens to what the migration created when it fails or is cancelled: `retain` keeps everything and
 * reports it; `delete` removes our instances, then our cluster, skipping the final snapshot. Only resources
 * that carry our ownership tag are ever deleted.
 */
import {
  DBClusterNotFoundFault,
  DBInstanceNotFoundFault,
  DeleteDBClusterCommand,
  DeleteDBInstanceCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  type RDSClient,
} from '@aws-sdk/client-rds';
import type { CleanupOutcome } from '../../workflows/types';
import { classifyAwsError } from '../aws-errors';
import { ownerOf } from './summaries';
import type { ApplyFailurePolicyInput } from './types';

/** Applies the failure policy and says what was removed and what was kept, and why. */
export async function applyFailurePolicy(rds: RDSClient, input: ApplyFailurePolicyInput): Promise<CleanupOutcome> {
  const outcome: CleanupOutcome = { policy: input.policy, removed: [], kept: [], errors: [] };
  for (const id of input.instanceIds) {
    const instance = await describeInstance(rds, id);
    if (!instance) continue;
    const label = `instance ${id} (${instance.DBInstanceStatus})`;
    if (input.policy === 'retain' || ownerOf(instance.TagList) !== input.workflowId) {
      outcome.kept.push(input.policy === 'retain' ? label : `${label}: not tagged as ours`);
      continue;
    }
    if (instance.DBInstanceStatus === 'deleting') {
      outcome.removed.push(`instance ${id}`);
      continue;
    }
    try {
      await rds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: id, SkipFinalSnapshot: true }));
      outcome.removed.push(`instance ${id}`);
    } catch (err) {
      if (err instanceof DBInstanceNotFoundFault) continue;
      throw classifyAwsError(err, { operation: `DeleteDBInstance ${id}` });
    }
  }
  const cluster = await describeCluster(rds, input.clusterId);
  if (cluster) {
    const label = `cluster ${input.clusterId} (${cluster.Status})`;
    if (input.policy === 'retain' || ownerOf(cluster.TagList) !== input.workflowId) {
      outcome.kept.push(input.policy === 'retain' ? label : `${label}: not tagged as ours`);
    } else if (cluster.Status === 'deleting') {
      outcome.removed.push(`cluster ${input.clusterId}`);
    } else {
      try {
        await rds.send(new DeleteDBClusterCommand({ DBClusterIdentifier: input.clusterId, SkipFinalSnapshot: true }));
        outcome.removed.push(`cluster ${input.clusterId}`);
      } catch (err) {
        if (!(err instanceof DBClusterNotFoundFault)) {
          throw classifyAwsError(err, { operation: `DeleteDBCluster ${input.clusterId}` });
        }
      }
    }
  }
  return outcome;
}

async function describeInstance(rds: RDSClient, id: string) {
  try {
    const { DBInstances: [instance] = [] } = await rds.send(
      new DescribeDBInstancesCommand({ DBInstanceIdentifier: id }),
    );
    return instance;
  } catch (err) {
    if (err instanceof DBInstanceNotFoundFault) return undefined;
    throw classifyAwsError(err, { operation: `DescribeDBInstances ${id}` });
  }
}

async function describeCluster(rds: RDSClient, id: string) {
  try {
    const { DBClusters: [cluster] = [] } = await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: id }));
    return cluster;
  } catch (err) {
    if (err instanceof DBClusterNotFoundFault) return undefined;
    throw classifyAwsError(err, { operation: `DescribeDBClusters ${id}` });
  }
}
