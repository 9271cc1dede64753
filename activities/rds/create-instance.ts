/**
 * CreateDBInstance, exactly once, by the same ownership-tag rule as the cluster: an instance that already
 * exists in our cluster with our tag is adopted; any other is a conflict.
 */
import {
  CreateDBInstanceCommand,
  DBInstanceAlreadyExistsFault,
  DescribeDBInstancesCommand,
  InvalidDBClusterStateFault,
  type RDSClient,
} from '@aws-sdk/client-rds';
import { activityInfo } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { FailureTypes } from '../../workflows/errors';
import { classifyAwsError } from '../aws-errors';
import { buildInstanceRequest } from './requests';
import { ownerOf, summarizeInstance } from './summaries';
import type { CreateInstanceInput, CreateInstanceResult } from './types';

/** Adds one instance to the cluster, or adopts it if an earlier attempt already did. */
export async function createInstance(rds: RDSClient, input: CreateInstanceInput): Promise<CreateInstanceResult> {
  const { instance, clusterId, workflowId } = input;
  const attempts = activityInfo().attempt;
  try {
    const { DBInstance } = await rds.send(
      new CreateDBInstanceCommand(buildInstanceRequest(instance, clusterId, workflowId)),
    );
    if (!DBInstance) throw new Error('CreateDBInstance returned no DBInstance');
    return { instance: summarizeInstance(DBInstance), adopted: false, attempts };
  } catch (err) {
    if (err instanceof DBInstanceAlreadyExistsFault) {
      return { ...(await adoptInstance(rds, input)), attempts };
    }
    if (err instanceof InvalidDBClusterStateFault) {
      // A cluster busy with another operation (e.g. a parallel CreateDBInstance) accepts the call later.
      throw ApplicationFailure.create({
        type: FailureTypes.AwsTransient,
        message: `CreateDBInstance ${instance.DBInstanceIdentifier}: cluster ${clusterId} is busy: ${err.message}`,
      });
    }
    throw classifyAwsError(err, { operation: `CreateDBInstance ${instance.DBInstanceIdentifier}` });
  }
}

async function adoptInstance(
  rds: RDSClient,
  input: CreateInstanceInput,
): Promise<Omit<CreateInstanceResult, 'attempts'>> {
  const id = input.instance.DBInstanceIdentifier;
  let existing;
  try {
    existing = (await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id }))).DBInstances?.[0];
  } catch (err) {
    throw classifyAwsError(err, { operation: `DescribeDBInstances for existing instance ${id}` });
  }
  const owner = ownerOf(existing?.TagList);
  const sameCluster = existing?.DBClusterIdentifier?.toLowerCase() === input.clusterId.toLowerCase();
  if (!existing || owner !== input.workflowId || !sameCluster) {
    throw ApplicationFailure.create({
      type: FailureTypes.ResourceConflict,
      nonRetryable: true,
      message:
        `DB instance ${id} already exists and is not ours ` +
        `(${owner ? `owner ${owner}` : 'no aurora-migrate ownership tag'}, cluster ${existing?.DBClusterIdentifier ?? 'none'}). ` +
        'Choose another DBInstanceIdentifier, or delete that instance first.',
      details: [{ id, owner: owner ?? null, cluster: existing?.DBClusterIdentifier ?? null }],
    });
  }
  return { instance: summarizeInstance(existing), adopted: true };
}
