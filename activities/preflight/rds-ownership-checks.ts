/**
 * Identifier checks: the cluster and each instance identifier is free, or already ours (tagged with this
 * migration's workflow ID, so a re-run adopts it). What is ours is reported so the quota check does not count it.
 * The reads join the worker's batched status reads: a burst of pre-flights shares their calls.
 */
import type { MigrationInput, ValidationFinding } from '../../workflows/types';
import { ownerOf } from '../rds/summaries';
import { guarded, preflightFinding as f, PreflightCodes as C } from './findings';
import type { PreflightRdsReads } from './rds-reads';

/** Findings of the identifier checks and what already exists as ours. */
export interface OwnershipResult {
  findings: ValidationFinding[];
  /** The cluster exists and carries our ownership tag (a re-run will adopt it). */
  clusterIsOurs: boolean;
  /** Instances that exist and carry our ownership tag. */
  instancesOurs: number;
}

/** Looks up the cluster and every instance identifier of `spec` for migration `workflowId`. */
export async function checkOwnership(
  reads: PreflightRdsReads,
  spec: MigrationInput,
  workflowId: string,
): Promise<OwnershipResult> {
  let clusterIsOurs = false;
  let instancesOurs = 0;
  const clusterId = spec.restore.DBClusterIdentifier.toLowerCase();
  const checks = [
    guarded('rds:DescribeDBClusters', 'restore.DBClusterIdentifier', async () => {
      const existing = await reads.cluster(clusterId);
      if (!existing) return [];
      if (ownerOf(existing.TagList) === workflowId) {
        clusterIsOurs = true;
        return [];
      }
      return [
        f(
          C.ClusterIdentifierTaken,
          'error',
          'restore.DBClusterIdentifier',
          `DB cluster ${clusterId} already exists and is not ours (no ownership tag for migration ${workflowId}).`,
          'Choose another DBClusterIdentifier, or delete that cluster first.',
        ),
      ];
    }),
    ...spec.instances.map((instance, i) =>
      guarded('rds:DescribeDBInstances', `instances[${i}].DBInstanceIdentifier`, async () => {
        const id = instance.DBInstanceIdentifier.toLowerCase();
        const existing = await reads.instance(id);
        if (!existing) return [];
        if (ownerOf(existing.TagList) === workflowId) {
          instancesOurs += 1;
          return [];
        }
        return [
          f(
            C.InstanceIdentifierTaken,
            'error',
            `instances[${i}].DBInstanceIdentifier`,
            `DB instance ${id} already exists and is not ours (no ownership tag for migration ${workflowId}).`,
            'Choose another DBInstanceIdentifier, or delete that instance first.',
          ),
        ];
      }),
    ),
  ];
  const findings = (await Promise.all(checks)).flat();
  return { findings, clusterIsOurs, instancesOurs };
}
