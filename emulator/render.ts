/** XML bodies of DBCluster, DBInstance, Event and Tag, with list wrappers as the model names them. */
import type { EmulatorContext } from './context';
import { clusterPhase, instancePhase } from './lifecycle';
import { xmlField, xmlList, xmlStringList, xmlStruct } from './query-protocol';
import type { ClusterRecord, EventRecord, InstanceRecord, TagRecord } from './records';

/** Route 53 zone of RDS endpoints in the Region (us-east-1's; other Regions differ in reality). */
const HOSTED_ZONE_ID = 'Z2R2ITUGPM61AM';

/** `<TagList><Tag><Key/><Value/></Tag>…</TagList>`. */
export function renderTags(tags: TagRecord[]): string {
  return xmlList(
    'TagList',
    'Tag',
    tags.map((t) => xmlField('Key', t.key) + xmlField('Value', t.value)),
  );
}

/**
 * Where a cluster's endpoints point: its real mysqld (127.0.0.1 and its port) while it serves, else the RDS-style
 * host names (`<id>.cluster-<hash>.<region>.rds.amazonaws.com`), which a simulated or metadata-only cluster keeps.
 * A literal 127.0.0.1, not an RDS-style name: such a name resolves on no machine without /etc/hosts or DNS
 * changes, while 127.0.0.1 is exactly where the mysqld listens (it binds to loopback only), so any client (mysql2,
 * the mysql CLI, the worker) reaches it as RDS's answer says. Writer, reader and every instance share it: one
 * server plays the whole cluster.
 */
export function clusterEndpoints(
  ctx: EmulatorContext,
  cluster: ClusterRecord,
): { writer: string; reader: string; instance: (id: string) => string; port: number } {
  const server = cluster.server;
  if (server?.state === 'serving' && server.port !== undefined) {
    return { writer: '127.0.0.1', reader: '127.0.0.1', instance: () => '127.0.0.1', port: server.port };
  }
  const hostSuffix = `${ctx.endpointHash}.${ctx.region}.rds.amazonaws.com`;
  return {
    writer: `${cluster.id}.cluster-${hostSuffix}`,
    reader: `${cluster.id}.cluster-ro-${hostSuffix}`,
    instance: (id) => `${id}.${hostSuffix}`,
    port: cluster.port,
  };
}

/** The members of a `<DBCluster>` as they are at `now`. */
export function renderCluster(ctx: EmulatorContext, cluster: ClusterRecord, now: number): string {
  const phase = clusterPhase(cluster, now);
  const endpoints = clusterEndpoints(ctx, cluster);
  const live = cluster.memberIds.flatMap((id) => ctx.store.instance(id, now) ?? []);
  const members = live.map((instance, index) =>
    [
      xmlField('DBInstanceIdentifier', instance.id),
      xmlField('IsClusterWriter', index === 0),
      xmlField('DBClusterParameterGroupStatus', 'in-sync'),
      xmlField('PromotionTier', instance.promotionTier),
    ].join(''),
  );
  const secret = cluster.masterUserSecret;
  const scaling = cluster.serverlessV2;
  return [
    xmlStringList('AvailabilityZones', 'AvailabilityZone', cluster.availabilityZones),
    xmlField('BackupRetentionPeriod', cluster.backupRetentionPeriod),
    xmlField('DatabaseName', cluster.databaseName),
    xmlField('DBClusterIdentifier', cluster.id),
    xmlField('DBClusterParameterGroup', cluster.parameterGroup),
    xmlField('DBSubnetGroup', cluster.dbSubnetGroup ?? 'default'),
    xmlField('Status', phase.status),
    xmlField(
      'PercentProgress',
      cluster.reportsPercentProgress === false ? undefined : String(phase.percentProgress ?? 0),
    ),
    xmlField('Endpoint', endpoints.writer),
    xmlField('ReaderEndpoint', endpoints.reader),
    xmlField('MultiAZ', live.length > 1),
    xmlField('Engine', cluster.engine),
    xmlField('EngineVersion', cluster.engineVersion),
    xmlField('EngineMode', 'provisioned'),
    xmlField('Port', endpoints.port),
    xmlField('MasterUsername', cluster.masterUsername),
    xmlField('AllocatedStorage', 1),
    xmlList('DBClusterMembers', 'DBClusterMember', members),
    xmlList(
      'VpcSecurityGroups',
      'VpcSecurityGroupMembership',
      cluster.vpcSecurityGroupIds.map((id) => xmlField('VpcSecurityGroupId', id) + xmlField('Status', 'active')),
    ),
    xmlField('HostedZoneId', HOSTED_ZONE_ID),
    xmlField('StorageEncrypted', cluster.storageEncrypted),
    xmlField('KmsKeyId', cluster.kmsKeyId),
    xmlField('DbClusterResourceId', cluster.resourceId),
    xmlField('DBClusterArn', cluster.arn),
    xmlList(
      'AssociatedRoles',
      'DBClusterRole',
      (cluster.associatedRoles ?? []).map(
        (r) => xmlField('RoleArn', r.roleArn) + xmlField('Status', 'ACTIVE') + xmlField('FeatureName', r.featureName),
      ),
    ),
    xmlField('IAMDatabaseAuthenticationEnabled', cluster.iamDatabaseAuthentication),
    xmlField('ClusterCreateTime', new Date(cluster.createdAt)),
    xmlStringList('EnabledCloudwatchLogsExports', 'member', cluster.enabledCloudwatchLogsExports),
    xmlField('DeletionProtection', cluster.deletionProtection),
    xmlField('StorageType', 'aurora'),
    scaling
      ? xmlStruct('ServerlessV2ScalingConfiguration', [
          xmlField('MinCapacity', scaling.minCapacity),
          xmlField('MaxCapacity', scaling.maxCapacity),
          xmlField('SecondsUntilAutoPause', scaling.secondsUntilAutoPause),
        ])
      : '',
    secret
      ? xmlStruct('MasterUserSecret', [
          xmlField('SecretArn', secret.secretArn),
          xmlField('SecretStatus', phase.status === 'creating' ? 'creating' : 'active'),
          xmlField('KmsKeyId', secret.kmsKeyId),
        ])
      : '',
    renderTags(cluster.tags),
  ].join('');
}

/** The members of a `<DBInstance>` as they are at `now`; the Endpoint appears once it has been available. */
export function renderInstance(ctx: EmulatorContext, instance: InstanceRecord, now: number): string {
  const phase = instancePhase(instance, now);
  const hasEndpoint = phase.status === 'available' || (phase.status === 'deleting' && !instance.failure);
  const cluster = ctx.store.cluster(instance.clusterId, now);
  const endpoints = cluster ? clusterEndpoints(ctx, cluster) : undefined;
  return [
    xmlField('DBInstanceIdentifier', instance.id),
    xmlField('DBInstanceClass', instance.instanceClass),
    xmlField('Engine', instance.engine),
    xmlField('DBInstanceStatus', phase.status),
    hasEndpoint
      ? xmlStruct('Endpoint', [
          xmlField(
            'Address',
            endpoints?.instance(instance.id) ?? `${instance.id}.${ctx.endpointHash}.${ctx.region}.rds.amazonaws.com`,
          ),
          xmlField('Port', endpoints?.port ?? 3306),
          xmlField('HostedZoneId', HOSTED_ZONE_ID),
        ])
      : '',
    xmlField('AllocatedStorage', 1),
    xmlField('InstanceCreateTime', new Date(instance.createdAt)),
    xmlField('AvailabilityZone', instance.availabilityZone),
    xmlField('MultiAZ', false),
    xmlField('EngineVersion', instance.engineVersion),
    xmlField('PubliclyAccessible', instance.publiclyAccessible),
    xmlField('StorageType', 'aurora'),
    xmlField('DBClusterIdentifier', instance.clusterId),
    xmlField('StorageEncrypted', instance.storageEncrypted),
    xmlField('DbiResourceId', instance.resourceId),
    xmlField('PromotionTier', instance.promotionTier),
    xmlField('DBInstanceArn', instance.arn),
    renderTags(instance.tags),
  ].join('');
}

/** The members of an `<Event>`. */
export function renderEvent(event: EventRecord): string {
  return [
    xmlField('SourceIdentifier', event.sourceId),
    xmlField('SourceType', event.sourceType),
    xmlField('Message', event.message),
    xmlStringList('EventCategories', 'EventCategory', event.categories),
    xmlField('Date', new Date(event.date)),
    xmlField('SourceArn', event.sourceArn),
  ].join('');
}
