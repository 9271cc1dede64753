/** DescribeDBClusters and DeleteDBCluster. */
import type { ActionHandler, EmulatorContext } from '../context';
import { clusterNotFound, invalidClusterState, invalidCombination } from '../errors';
import { deletedEvent } from '../event-messages';
import { clusterPhase, goneAt, instancePhase } from '../lifecycle';
import { parseRdsArn } from '../naming';
import { xmlField, xmlList } from '../query-protocol';
import type { ClusterRecord } from '../records';
import { renderCluster } from '../render';
import { filtersParam, page } from '../validation';

/** Resolves an identifier or ARN to a lower-case cluster id. */
export function clusterIdOf(value: string): string {
  return parseRdsArn(value)?.id ?? value.toLowerCase();
}

/** An existing cluster, or `DBClusterNotFoundFault`. */
export function requireCluster(ctx: EmulatorContext, value: string, now = Date.now()): ClusterRecord {
  const id = clusterIdOf(value);
  const cluster = ctx.store.cluster(id, now);
  if (!cluster) throw clusterNotFound(id);
  return cluster;
}

/** Handles DescribeDBClusters: one by id (NotFound fault), or all, narrowed by filters and paged. */
export const describeDBClusters: ActionHandler = (ctx, params) => {
  const now = Date.now();
  const filters = filtersParam(params, ['db-cluster-id', 'engine', 'db-cluster-resource-id']);
  const id = params.optString('DBClusterIdentifier');
  let clusters = id === undefined ? ctx.store.allClusters(now) : [requireCluster(ctx, id, now)];
  const ids = filters.get('db-cluster-id')?.map(clusterIdOf);
  if (ids) clusters = clusters.filter((c) => ids.includes(c.id));
  const engines = filters.get('engine');
  if (engines) clusters = clusters.filter((c) => engines.includes(c.engine));
  const resourceIds = filters.get('db-cluster-resource-id');
  if (resourceIds) clusters = clusters.filter((c) => resourceIds.includes(c.resourceId));
  const { items, marker } = page(clusters, params);
  return Promise.resolve(
    xmlList(
      'DBClusters',
      'DBCluster',
      items.map((c) => renderCluster(ctx, c, now)),
    ) + xmlField('Marker', marker),
  );
};

/**
 * Handles DeleteDBCluster: refused while instances live or deletion protection is on; then `deleting`. The
 * cluster's mysqld is stopped, its volume removed and its managed master secret deleted before the response.
 */
export const deleteDBCluster: ActionHandler = async (ctx, params) => {
  const now = Date.now();
  const cluster = requireCluster(ctx, params.string('DBClusterIdentifier'), now);
  if (clusterPhase(cluster, now).status === 'deleting') {
    throw invalidClusterState(`DB cluster ${cluster.id} is already being deleted.`);
  }
  if (cluster.deletionProtection) {
    throw invalidCombination('Cannot delete protected Cluster, please disable deletion protection and try again.');
  }
  if (params.optBoolean('SkipFinalSnapshot') !== true && params.optString('FinalDBSnapshotIdentifier') === undefined) {
    throw invalidCombination('FinalDBSnapshotIdentifier is required unless SkipFinalSnapshot is specified.');
  }
  const live = cluster.memberIds.some((id) => {
    const instance = ctx.store.instance(id, now);
    return instance !== undefined && instancePhase(instance, now).status !== 'deleting';
  });
  if (live) {
    throw invalidClusterState('Cluster cannot be deleted, it still contains DB instances in non-deleting state.');
  }
  cluster.deletingSince = now;
  cluster.deletingMs = ctx.timings.deletingMs;
  await ctx.clusterServers?.remove(cluster);
  // RDS deletes the managed master secret with its cluster.
  if (cluster.masterUserSecret && ctx.secrets) await ctx.secrets.remove(cluster.masterUserSecret.secretArn);
  ctx.store.changed();
  ctx.store.addEvent({
    sourceType: 'db-cluster',
    sourceId: cluster.id,
    sourceArn: cluster.arn,
    ...deletedEvent('db-cluster'),
    date: goneAt(cluster) ?? now,
  });
  return `<DBCluster>${renderCluster(ctx, cluster, now)}</DBCluster>`;
};
