/** CreateDBInstance, DescribeDBInstances and DeleteDBInstance for instances of Aurora clusters. */
import { checkInstanceAgainstCatalogue } from '../catalogue-checks';
import type { ActionHandler, EmulatorContext } from '../context';
import { RdsFault, instanceNotFound, invalidClusterState, invalidCombination, invalidInstanceState } from '../errors';
import { createdEvent, deletedEvent, failureEvent } from '../event-messages';
import { clusterPhase, goneAt, instancePhase, instanceSettlesAt } from '../lifecycle';
import { instanceArn, parseRdsArn, randomResourceSuffix } from '../naming';
import { type Params, xmlField, xmlList } from '../query-protocol';
import type { InstanceRecord } from '../records';
import { renderInstance } from '../render';
import { filtersParam, page, tagsParam, validateInstanceClass, validIdentifier } from '../validation';
import { clusterIdOf, requireCluster } from './clusters';

/** Settings the cluster owns; RDS rejects them on an Aurora CreateDBInstance. */
const CLUSTER_MANAGED = [
  'AllocatedStorage',
  'MasterUsername',
  'MasterUserPassword',
  'ManageMasterUserPassword',
  'VpcSecurityGroupIds',
  'BackupRetentionPeriod',
  'PreferredBackupWindow',
  'Port',
  'MultiAZ',
  'EngineVersion',
  'StorageType',
  'Iops',
  'StorageThroughput',
  'StorageEncrypted',
  'KmsKeyId',
  'CharacterSetName',
  'OptionGroupName',
  'DeletionProtection',
  'CopyTagsToSnapshot',
  'EnableIAMDatabaseAuthentication',
  'EnableCloudwatchLogsExports',
  'MaxAllocatedStorage',
  'LicenseModel',
];

/** An existing instance, or wire `DBInstanceNotFound`. */
function requireInstance(ctx: EmulatorContext, value: string, now: number): InstanceRecord {
  const id = parseRdsArn(value)?.id ?? value.toLowerCase();
  const instance = ctx.store.instance(id, now);
  if (!instance) throw instanceNotFound(id);
  return instance;
}

/** Handles CreateDBInstance: the cluster must exist, be `available` and match engine and class rules. */
export const createDBInstance: ActionHandler = (ctx, params) => {
  const now = Date.now();
  const id = validIdentifier('DBInstanceIdentifier', params.string('DBInstanceIdentifier'));
  const instanceClass = params.string('DBInstanceClass');
  const engine = params.string('Engine');
  validateInstanceClass(instanceClass);
  checkClusterManaged(params);
  const clusterParam = params.optString('DBClusterIdentifier');
  if (clusterParam === undefined) {
    throw invalidCombination('The emulator serves Aurora only: DBClusterIdentifier is required for a DB instance.');
  }
  if (ctx.store.instance(id, now)) throw new RdsFault('DBInstanceAlreadyExists', 'DB instance already exists');
  const cluster = requireCluster(ctx, clusterParam, now);
  if (engine !== cluster.engine) {
    throw invalidCombination(
      `The engine name requested for your DB instance (${engine}) doesn't match the engine name of your DB cluster (${cluster.engine}).`,
    );
  }
  const status = clusterPhase(cluster, now).status;
  if (status !== 'available') {
    throw invalidClusterState(`DB cluster ${cluster.id} is not in the available state (it is ${status}).`);
  }
  if (instanceClass === 'db.serverless' && !cluster.serverlessV2) {
    throw invalidCombination(
      'Set the Serverless v2 scaling configuration on the parent DB cluster before creating a Serverless v2 DB instance.',
    );
  }
  checkInstanceAgainstCatalogue(ctx, params, cluster);
  const promotionTier = params.optInteger('PromotionTier') ?? 1;
  if (promotionTier < 0 || promotionTier > 15) throw invalidCombination('PromotionTier must be between 0 and 15.');
  const zones = cluster.availabilityZones;
  const instance: InstanceRecord = {
    id,
    arn: instanceArn(ctx.region, ctx.accountId, id),
    resourceId: `db-${randomResourceSuffix()}`,
    clusterId: cluster.id,
    instanceClass,
    engine,
    engineVersion: cluster.engineVersion,
    createdAt: now,
    creatingMs: ctx.timings.instanceCreatingMs,
    configuringMs: ctx.timings.instanceConfiguringMs,
    backingUpMs: ctx.timings.instanceBackingUpMs,
    failure: ctx.rules.outcomeFor({ action: 'CreateDBInstance', clusterId: cluster.id, instanceId: id }),
    promotionTier,
    publiclyAccessible: params.optBoolean('PubliclyAccessible') ?? false,
    availabilityZone: params.optString('AvailabilityZone') ?? zones[cluster.memberIds.length % zones.length] ?? '',
    storageEncrypted: cluster.storageEncrypted,
    tags: tagsParam(params),
  };
  ctx.store.addInstance(instance);
  const base = { sourceType: 'db-instance' as const, sourceId: id, sourceArn: instance.arn };
  ctx.store.addEvent({ ...base, ...createdEvent('db-instance'), date: now });
  if (instance.failure) {
    const text = failureEvent('db-instance', id, instance.failure, cluster.sourceEngineVersion);
    ctx.store.addEvent({ ...base, ...text, date: instanceSettlesAt(instance) });
  }
  return Promise.resolve(`<DBInstance>${renderInstance(ctx, instance, now)}</DBInstance>`);
};

function checkClusterManaged(params: Params): void {
  const sent = CLUSTER_MANAGED.find((name) => params.isSet(name));
  if (sent === undefined) return;
  if (sent === 'MasterUserPassword' || sent === 'ManageMasterUserPassword') {
    throw invalidCombination(
      'The requested DB Instance will be a member of a DB Cluster. Set master user password for the DB Cluster.',
    );
  }
  if (sent === 'AllocatedStorage') {
    throw invalidCombination(
      "The requested DB Instance will be a member of a DB Cluster. You don't need to set storage size.",
    );
  }
  throw invalidCombination(
    `The requested DB Instance will be a member of a DB Cluster. Set ${sent} for the DB Cluster.`,
  );
}

/** Handles DescribeDBInstances: one by id (NotFound fault), or all, narrowed by filters and paged. */
export const describeDBInstances: ActionHandler = (ctx, params) => {
  const now = Date.now();
  const filters = filtersParam(params, ['db-cluster-id', 'db-instance-id', 'engine', 'dbi-resource-id']);
  const id = params.optString('DBInstanceIdentifier');
  let instances = id === undefined ? ctx.store.allInstances(now) : [requireInstance(ctx, id, now)];
  const clusterIds = filters.get('db-cluster-id')?.map(clusterIdOf);
  if (clusterIds) instances = instances.filter((i) => clusterIds.includes(i.clusterId));
  const instanceIds = filters.get('db-instance-id')?.map((v) => parseRdsArn(v)?.id ?? v.toLowerCase());
  if (instanceIds) instances = instances.filter((i) => instanceIds.includes(i.id));
  const engines = filters.get('engine');
  if (engines) instances = instances.filter((i) => engines.includes(i.engine));
  const resourceIds = filters.get('dbi-resource-id');
  if (resourceIds) instances = instances.filter((i) => resourceIds.includes(i.resourceId));
  const { items, marker } = page(instances, params);
  return Promise.resolve(
    xmlList(
      'DBInstances',
      'DBInstance',
      items.map((i) => renderInstance(ctx, i, now)),
    ) + xmlField('Marker', marker),
  );
};

/** Handles DeleteDBInstance: the instance goes `deleting`, then disappears. */
export const deleteDBInstance: ActionHandler = (ctx, params) => {
  const now = Date.now();
  const instance = requireInstance(ctx, params.string('DBInstanceIdentifier'), now);
  if (instancePhase(instance, now).status === 'deleting') {
    throw invalidInstanceState(`Instance ${instance.id} is already being deleted.`);
  }
  instance.deletingSince = now;
  instance.deletingMs = ctx.timings.deletingMs;
  ctx.store.changed();
  ctx.store.addEvent({
    sourceType: 'db-instance',
    sourceId: instance.id,
    sourceArn: instance.arn,
    ...deletedEvent('db-instance'),
    date: goneAt(instance) ?? now,
  });
  return Promise.resolve(`<DBInstance>${renderInstance(ctx, instance, now)}</DBInstance>`);
};
