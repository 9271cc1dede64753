/** RestoreDBClusterFromS3: validates like RDS, checks the bucket, and records a cluster that starts `creating`. */
import { checkRestoreAgainstCatalogue, checkRestoreExtras } from '../catalogue-checks';
import { masterPasswordOf, type MasterPassword } from '../cluster-server/master-password';
import type { ActionHandler, EmulatorContext } from '../context';
import { RdsFault, invalidCombination, invalidValue } from '../errors';
import { createdEvent, failureEvent } from '../event-messages';
import { clusterSettlesAt } from '../lifecycle';
import { passwordVerifier } from '../master-password';
import { clusterArn, defaultKmsKeyArn, masterSecretArn, randomResourceSuffix } from '../naming';
import type { Params } from '../query-protocol';
import type { ClusterRecord, FailureOutcome } from '../records';
import { renderCluster } from '../render';
import {
  resolveEngineVersion,
  sourceMajor,
  tagsParam,
  validateMasterUsername,
  validatePassword,
  validIdentifier,
} from '../validation';

const REQUIRED = [
  'DBClusterIdentifier',
  'Engine',
  'MasterUsername',
  'SourceEngine',
  'SourceEngineVersion',
  'S3BucketName',
  'S3IngestionRoleArn',
];

/**
 * Handles RestoreDBClusterFromS3. The password is validated, handed to the cluster's server (when the emulator
 * runs servers) and dropped: it is never stored.
 */
export const restoreDBClusterFromS3: ActionHandler = async (ctx, params) => {
  for (const name of REQUIRED) params.string(name);
  const id = validIdentifier('DBClusterIdentifier', params.string('DBClusterIdentifier'));
  const engine = params.string('Engine');
  if (engine !== 'aurora-mysql') {
    throw invalidValue(`Invalid DB engine: ${engine}. A restore from Amazon S3 supports only aurora-mysql.`);
  }
  if (params.string('SourceEngine') !== 'mysql') {
    throw invalidValue(`Invalid source engine: ${params.string('SourceEngine')}. The only valid value is mysql.`);
  }
  const sourceVersion = params.string('SourceEngineVersion');
  const major = sourceMajor(sourceVersion);
  const engineVersion = resolveEngineVersion(params.optString('EngineVersion'), major, sourceVersion);
  validateMasterUsername(params.string('MasterUsername'));
  checkPassword(params);
  const roleArn = params.string('S3IngestionRoleArn');
  if (!/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/.test(roleArn)) {
    throw invalidValue(`The parameter S3IngestionRoleArn is not a valid IAM role ARN: ${roleArn}`);
  }
  const { associatedRoles } = checkRestoreExtras(params);
  const cluster = buildCluster(ctx, params, id, engineVersion, sourceVersion);
  cluster.associatedRoles = associatedRoles;
  if (ctx.store.cluster(id)) throw alreadyExists();
  checkRestoreAgainstCatalogue(ctx, params, engineVersion);

  let outcome = ctx.rules.outcomeFor({ action: 'RestoreDBClusterFromS3', clusterId: id });
  const master = masterPasswordOf(params);
  if (ctx.s3) {
    const { looksLikeBackup, totalBytes } = await ctx.s3.check(cluster.s3BucketName, cluster.s3Prefix);
    cluster.backupBytes = totalBytes;
    cluster.migratingMs += sizePartMs(totalBytes, ctx.timings.restoreMiBPerSecond);
    if (!looksLikeBackup && !outcome) {
      outcome = {
        status: 'migration-failed',
        eventMessage:
          'No Percona XtraBackup files were found under the S3 prefix (expected xtrabackup_checkpoints or ' +
          '.xbstream, .tar, .tar.gz or .gz files).',
      };
    }
    // The check awaited S3: a concurrent request may have created the same cluster meanwhile.
    if (ctx.store.cluster(id)) throw alreadyExists();
  }
  if (!outcome) await storeManagedSecret(ctx, cluster, master);
  cluster.failure = outcome;
  // The lifecycle starts when the cluster exists, not when the request arrived: the S3 check and the managed
  // secret above can take longer than the whole creating phase, and RDS answers a restore with `creating`.
  cluster.createdAt = Date.now();
  ctx.store.addCluster(cluster);
  recordEvents(ctx, cluster, outcome);
  if (!outcome) serveData(ctx, cluster, master.password);
  return `<DBCluster>${renderCluster(ctx, cluster, Date.now())}</DBCluster>`;
};

/**
 * Brings the cluster's data up on a real mysqld when the emulator runs cluster servers; otherwise the cluster is
 * simulated (the lifecycle only), as configured (EmulatorOptions.clusterServers).
 */
function serveData(ctx: EmulatorContext, cluster: ClusterRecord, masterPassword: string): void {
  if (ctx.clusterServers) ctx.clusterServers.restore(cluster, masterPassword);
}

/**
 * With ManageMasterUserPassword, stores the generated password as RDS does, in Secrets Manager, and makes the
 * secret's real ARN the cluster's MasterUserSecret (without a Secrets Manager the ARN names no secret).
 */
async function storeManagedSecret(ctx: EmulatorContext, cluster: ClusterRecord, master: MasterPassword): Promise<void> {
  if (!master.generated || !ctx.secrets || !cluster.masterUserSecret) return;
  cluster.masterUserSecret.secretArn = await ctx.secrets.create(cluster.arn, cluster.masterUsername, master.password);
  if (ctx.store.cluster(cluster.id)) {
    await ctx.secrets.remove(cluster.masterUserSecret.secretArn);
    throw alreadyExists();
  }
}

/** How much longer a backup of this size takes to restore at that throughput (0 MiB/s: size ignored). */
function sizePartMs(bytes: number, mibPerSecond: number): number {
  return mibPerSecond > 0 ? Math.round((bytes / (1024 * 1024) / mibPerSecond) * 1000) : 0;
}

function checkPassword(params: Params): void {
  const password = params.optString('MasterUserPassword');
  const managed = params.optBoolean('ManageMasterUserPassword') === true;
  if (password !== undefined && managed) {
    throw invalidCombination('Specify either MasterUserPassword or ManageMasterUserPassword, not both.');
  }
  if (password === undefined && !managed) {
    throw invalidValue('The parameter MasterUserPassword must be provided and must not be blank.');
  }
  if (password !== undefined) validatePassword(password);
}

function alreadyExists(): RdsFault {
  return new RdsFault('DBClusterAlreadyExistsFault', 'DB Cluster already exists');
}

function buildCluster(
  ctx: EmulatorContext,
  params: Params,
  id: string,
  engineVersion: string,
  sourceEngineVersion: string,
): ClusterRecord {
  const { region, accountId } = ctx;
  const kmsKeyId = params.optString('KmsKeyId');
  const storageEncrypted = params.optBoolean('StorageEncrypted') ?? kmsKeyId !== undefined;
  if (kmsKeyId !== undefined && params.optBoolean('StorageEncrypted') === false) {
    throw invalidCombination('KmsKeyId can be set only when StorageEncrypted is true.');
  }
  const backupRetentionPeriod = params.optInteger('BackupRetentionPeriod') ?? 1;
  if (backupRetentionPeriod < 1 || backupRetentionPeriod > 35) {
    throw invalidValue('The parameter BackupRetentionPeriod must be between 1 and 35.');
  }
  const port = params.optInteger('Port') ?? 3306;
  if (port < 1150 || port > 65535) throw invalidValue('The parameter Port must be between 1150 and 65535.');
  const managed = params.optBoolean('ManageMasterUserPassword') === true;
  const zones = params.stringList('AvailabilityZones', 'AvailabilityZone');
  return {
    id,
    arn: clusterArn(region, accountId, id),
    resourceId: `cluster-${randomResourceSuffix()}`,
    createdAt: Date.now(),
    creatingMs: ctx.timings.clusterCreatingMs,
    migratingMs: ctx.timings.clusterMigratingMs,
    reportsPercentProgress: ctx.timings.reportPercentProgress !== 0,
    engine: 'aurora-mysql',
    engineVersion,
    sourceEngineVersion,
    masterUsername: params.string('MasterUsername'),
    port,
    s3BucketName: params.string('S3BucketName'),
    s3Prefix: params.optString('S3Prefix'),
    s3IngestionRoleArn: params.string('S3IngestionRoleArn'),
    dbSubnetGroup: params.optString('DBSubnetGroupName'),
    vpcSecurityGroupIds: params.stringList('VpcSecurityGroupIds', 'VpcSecurityGroupId'),
    availabilityZones: zones.length ? zones : [`${region}a`, `${region}b`, `${region}c`],
    parameterGroup:
      params.optString('DBClusterParameterGroupName') ?? `default.aurora-mysql${engineVersion.slice(0, 3)}`,
    storageEncrypted,
    kmsKeyId: storageEncrypted ? (kmsKeyId ?? defaultKmsKeyArn(region, accountId)) : undefined,
    deletionProtection: params.optBoolean('DeletionProtection') ?? false,
    masterPasswordVerifier: managed ? undefined : passwordVerifier(params.string('MasterUserPassword')),
    masterUserSecret: managed
      ? {
          secretArn: masterSecretArn(region, accountId),
          kmsKeyId: params.optString('MasterUserSecretKmsKeyId') ?? 'alias/aws/secretsmanager',
        }
      : undefined,
    serverlessV2: scalingParam(params),
    enabledCloudwatchLogsExports: params.stringList('EnableCloudwatchLogsExports', 'member'),
    backupRetentionPeriod,
    databaseName: params.optString('DatabaseName'),
    iamDatabaseAuthentication: params.optBoolean('EnableIAMDatabaseAuthentication') ?? false,
    tags: tagsParam(params),
    memberIds: [],
  };
}

function scalingParam(params: Params): ClusterRecord['serverlessV2'] {
  const scaling = params.optStruct('ServerlessV2ScalingConfiguration');
  if (!scaling) return undefined;
  const number = (name: string): number | undefined => {
    const text = scaling.optString(name);
    if (text === undefined) return undefined;
    const value = Number(text);
    if (!Number.isFinite(value))
      throw invalidValue(`Invalid value ${text} for ServerlessV2ScalingConfiguration.${name}.`);
    return value;
  };
  const minCapacity = number('MinCapacity');
  const maxCapacity = number('MaxCapacity');
  if (minCapacity !== undefined && (minCapacity < 0 || minCapacity > 256)) {
    throw invalidValue('ServerlessV2ScalingConfiguration.MinCapacity must be between 0 and 256.');
  }
  if (maxCapacity !== undefined && (maxCapacity < 1 || maxCapacity > 256 || maxCapacity < (minCapacity ?? 0))) {
    throw invalidValue(
      'ServerlessV2ScalingConfiguration.MaxCapacity must be between 1 and 256 and not below MinCapacity.',
    );
  }
  return { minCapacity, maxCapacity, secondsUntilAutoPause: number('SecondsUntilAutoPause') };
}

function recordEvents(ctx: EmulatorContext, cluster: ClusterRecord, outcome: FailureOutcome | undefined): void {
  const base = { sourceType: 'db-cluster' as const, sourceId: cluster.id, sourceArn: cluster.arn };
  ctx.store.addEvent({ ...base, ...createdEvent('db-cluster'), date: cluster.createdAt });
  if (outcome) {
    const text = failureEvent('db-cluster', cluster.id, outcome, cluster.sourceEngineVersion);
    ctx.store.addEvent({ ...base, ...text, date: clusterSettlesAt(cluster) });
  }
}
