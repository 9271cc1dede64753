/**
 * RestoreDBClusterFromS3, exactly once. RDS has no client token, so idempotency comes from the ownership tag:
 * a retry (by the SDK or by Temporal) whose first call landed finds the cluster already there, tagged with
 * our workflow ID, and adopts it instead of failing or creating a second one.
 */
import {
  DBClusterAlreadyExistsFault,
  DescribeDBClustersCommand,
  RestoreDBClusterFromS3Command,
  type RDSClient,
} from '@aws-sdk/client-rds';
import { activityInfo } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { FailureTypes } from '../../workflows/errors';
import { classifyAwsError } from '../aws-errors';
import { readSecretPassword, type SecretsClientFor } from '../secrets';
import { buildRestoreRequest } from './requests';
import { ownerOf, summarizeCluster } from './summaries';
import type { RestoreClusterInput, RestoreClusterResult } from './types';

/**
 * Starts the restore, or adopts the cluster a lost earlier attempt already started. A master password named by
 * `MasterUserPasswordSecretArn` is read here, at each attempt, before anything is created; it lives only in this
 * call's memory and in the request to RDS.
 */
export async function restoreCluster(
  rds: RDSClient,
  secretsFor: SecretsClientFor,
  input: RestoreClusterInput,
): Promise<RestoreClusterResult> {
  const info = activityInfo();
  const { params, workflowId } = input;
  const operation = `RestoreDBClusterFromS3 for cluster ${params.DBClusterIdentifier}`;
  const workerRegion = await rds.config.region();
  if (workerRegion !== input.region) {
    throw ApplicationFailure.create({
      type: FailureTypes.InvalidInput,
      nonRetryable: true,
      message:
        `The migration is for Region ${input.region} but this worker's RDS client is in ${workerRegion}: ` +
        `run a worker with AWS_REGION=${input.region} on its own task queue, or fix the spec's region.`,
    });
  }
  const secretArn = params.MasterUserPasswordSecretArn;
  const password = secretArn
    ? await readSecretPassword(secretsFor, { secretArn, field: 'restore.MasterUserPasswordSecretArn' })
    : undefined;
  try {
    const request = buildRestoreRequest(params, workflowId, password);
    const { DBCluster } = await rds.send(new RestoreDBClusterFromS3Command(request));
    if (!DBCluster) throw new Error('RestoreDBClusterFromS3 returned no DBCluster');
    return { cluster: summarizeCluster(DBCluster), adopted: false, attempts: info.attempt };
  } catch (err) {
    if (err instanceof DBClusterAlreadyExistsFault) {
      return { ...(await adoptCluster(rds, params.DBClusterIdentifier, workflowId)), attempts: info.attempt };
    }
    throw classifyAwsError(err, {
      operation,
      propagationDeadlineMs: info.scheduledTimestampMs + input.propagationRetryWindowMs,
    });
  }
}

async function adoptCluster(
  rds: RDSClient,
  clusterId: string,
  workflowId: string,
): Promise<Omit<RestoreClusterResult, 'attempts'>> {
  let cluster;
  try {
    cluster = (await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: clusterId }))).DBClusters?.[0];
  } catch (err) {
    throw classifyAwsError(err, { operation: `DescribeDBClusters for existing cluster ${clusterId}` });
  }
  if (!cluster) {
    throw ApplicationFailure.create({
      type: FailureTypes.AwsTransient,
      message: `cluster ${clusterId} was reported as existing but cannot be described yet`,
    });
  }
  const owner = ownerOf(cluster.TagList);
  if (owner !== workflowId) {
    throw ApplicationFailure.create({
      type: FailureTypes.ResourceConflict,
      nonRetryable: true,
      message:
        `DB cluster ${clusterId} already exists and is not ours ` +
        `(${owner ? `it belongs to migration ${owner}` : 'it has no aurora-migrate ownership tag'}; ` +
        `status ${cluster.Status}). Choose another DBClusterIdentifier, or delete that cluster first.`,
      details: [{ clusterId, owner: owner ?? null, status: cluster.Status }],
    });
  }
  return { cluster: summarizeCluster(cluster), adopted: true };
}
