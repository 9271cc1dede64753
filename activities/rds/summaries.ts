/** Conversions from the SDK's DBCluster/DBInstance shapes to the small summaries the workflow carries. */
import type { DBCluster, DBInstance, Tag } from '@aws-sdk/client-rds';
import type { ClusterSummary, InstanceSummary } from '../../workflows/types';
import { OWNER_TAG_KEY } from '../../workflows/ids';

/** The fields of a DBCluster the migration reports. */
export function summarizeCluster(cluster: DBCluster): ClusterSummary {
  return {
    DBClusterIdentifier: cluster.DBClusterIdentifier ?? '',
    DBClusterArn: cluster.DBClusterArn,
    Status: cluster.Status ?? 'unknown',
    Endpoint: cluster.Endpoint,
    ReaderEndpoint: cluster.ReaderEndpoint,
    Port: cluster.Port,
    EngineVersion: cluster.EngineVersion,
    MasterUserSecretArn: cluster.MasterUserSecret?.SecretArn,
  };
}

/** The fields of a DBInstance the migration reports. */
export function summarizeInstance(instance: DBInstance, isWriter?: boolean): InstanceSummary {
  return {
    DBInstanceIdentifier: instance.DBInstanceIdentifier ?? '',
    DBInstanceClass: instance.DBInstanceClass,
    DBInstanceStatus: instance.DBInstanceStatus ?? 'unknown',
    Endpoint: instance.Endpoint?.Address,
    IsClusterWriter: isWriter,
  };
}

/** The workflow ID a resource's ownership tag names, if any. */
export function ownerOf(tags: Tag[] | undefined): string | undefined {
  return tags?.find((t) => t.Key === OWNER_TAG_KEY)?.Value;
}

/** The request's tags plus our ownership tag (replacing any stale one). */
export function withOwnerTag(tags: Tag[] | undefined, workflowId: string): Tag[] {
  return [...(tags ?? []).filter((t) => t.Key !== OWNER_TAG_KEY), { Key: OWNER_TAG_KEY, Value: workflowId }];
}
