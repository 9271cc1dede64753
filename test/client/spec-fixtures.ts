/**
 * Spec fixtures shared by the client tests: a valid base spec and a table of invalid variants, each naming the
 * field path its error must name.
 */
import type { MigrationInput } from '../../workflows/types';

/** A secret-looking password the tests search for in every output. */
export const SECRET_PASSWORD = 'Sup3rSecret-Pa55w0rd!';

/** A valid spec for cluster `clusterId` (unique per test), with the password given. */
export function validSpec(clusterId = 'orders-aurora', overrides: Partial<MigrationInput> = {}): MigrationInput {
  return {
    region: 'us-east-1',
    restore: {
      DBClusterIdentifier: clusterId,
      Engine: 'aurora-mysql',
      EngineVersion: '8.0.mysql_aurora.3.04.0',
      MasterUsername: 'admin',
      MasterUserPassword: SECRET_PASSWORD,
      SourceEngine: 'mysql',
      SourceEngineVersion: '8.0.28',
      S3BucketName: 'orders-backups',
      S3Prefix: 'full/',
      S3IngestionRoleArn: 'arn:aws:iam::123456789012:role/aurora-s3-import',
    },
    instances: [
      { DBInstanceIdentifier: `${clusterId}-writer`, DBInstanceClass: 'db.r6g.large' },
      { DBInstanceIdentifier: `${clusterId}-reader`, DBInstanceClass: 'db.r6g.large' },
    ],
    options: { validation: 'quick', onFailure: 'retain' },
    ...overrides,
  };
}

type Mutable = Record<string, unknown> & {
  restore: Record<string, unknown>;
  instances: Array<Record<string, unknown>>;
  options: Record<string, unknown>;
};

/** One invalid spec: a name, how to break the valid spec, and the path the error must name. */
export interface InvalidCase {
  name: string;
  mutate: (spec: Mutable) => void;
  path: string;
}

const long = (n: number) => 'a'.repeat(n);

/** At least 40 ways to get a spec wrong, each with the field its error names. */
export const invalidCases: InvalidCase[] = [
  { name: 'missing region', mutate: (s) => delete s.region, path: 'region' },
  { name: 'region with capitals', mutate: (s) => (s.region = 'US-EAST-1'), path: 'region' },
  { name: 'region that is not a region', mutate: (s) => (s.region = 'mars'), path: 'region' },
  { name: 'missing restore', mutate: (s) => delete (s as Record<string, unknown>).restore, path: 'restore' },
  { name: 'instances not a list', mutate: (s) => (s.instances = {} as never), path: 'instances' },
  { name: 'no instances at all', mutate: (s) => (s.instances = []), path: 'instances' },
  { name: 'unknown top-level key', mutate: (s) => (s.instance = []), path: 'instance' },
  {
    name: 'misspelt restore key',
    mutate: (s) => (s.restore.DBClusterIdentifer = 'x'),
    path: 'restore.DBClusterIdentifer',
  },
  {
    name: 'missing cluster identifier',
    mutate: (s) => delete s.restore.DBClusterIdentifier,
    path: 'restore.DBClusterIdentifier',
  },
  {
    name: 'cluster identifier starting with a digit',
    mutate: (s) => (s.restore.DBClusterIdentifier = '1orders'),
    path: 'restore.DBClusterIdentifier',
  },
  {
    name: 'cluster identifier with a trailing hyphen',
    mutate: (s) => (s.restore.DBClusterIdentifier = 'orders-'),
    path: 'restore.DBClusterIdentifier',
  },
  {
    name: 'cluster identifier with two hyphens',
    mutate: (s) => (s.restore.DBClusterIdentifier = 'orders--a'),
    path: 'restore.DBClusterIdentifier',
  },
  {
    name: 'cluster identifier with an underscore',
    mutate: (s) => (s.restore.DBClusterIdentifier = 'orders_a'),
    path: 'restore.DBClusterIdentifier',
  },
  {
    name: 'cluster identifier of 64 characters',
    mutate: (s) => (s.restore.DBClusterIdentifier = long(64)),
    path: 'restore.DBClusterIdentifier',
  },
  {
    name: 'empty cluster identifier',
    mutate: (s) => (s.restore.DBClusterIdentifier = ''),
    path: 'restore.DBClusterIdentifier',
  },
  { name: 'engine aurora-postgresql', mutate: (s) => (s.restore.Engine = 'aurora-postgresql'), path: 'restore.Engine' },
  { name: 'engine missing', mutate: (s) => delete s.restore.Engine, path: 'restore.Engine' },
  { name: 'source engine mariadb', mutate: (s) => (s.restore.SourceEngine = 'mariadb'), path: 'restore.SourceEngine' },
  {
    name: 'source engine version 8.4',
    mutate: (s) => (s.restore.SourceEngineVersion = '8.4.0'),
    path: 'restore.SourceEngineVersion',
  },
  {
    name: 'source engine version 5.6',
    mutate: (s) => (s.restore.SourceEngineVersion = '5.6'),
    path: 'restore.SourceEngineVersion',
  },
  {
    name: 'source engine version as a number',
    mutate: (s) => (s.restore.SourceEngineVersion = 8.0),
    path: 'restore.SourceEngineVersion',
  },
  {
    name: 'engine version of the wrong shape',
    mutate: (s) => (s.restore.EngineVersion = '8.0.28'),
    path: 'restore.EngineVersion',
  },
  {
    name: 'engine version with mismatched aurora major',
    mutate: (s) => (s.restore.EngineVersion = '8.0.mysql_aurora.2.11.0'),
    path: 'restore.EngineVersion',
  },
  {
    name: 'engine version 5.7 for an 8.0 source',
    mutate: (s) => (s.restore.EngineVersion = '5.7.mysql_aurora.2.12.0'),
    path: 'restore.EngineVersion',
  },
  {
    name: 'role ARN of a user',
    mutate: (s) => (s.restore.S3IngestionRoleArn = 'arn:aws:iam::123456789012:user/bob'),
    path: 'restore.S3IngestionRoleArn',
  },
  {
    name: 'role ARN with a short account',
    mutate: (s) => (s.restore.S3IngestionRoleArn = 'arn:aws:iam::1234:role/x'),
    path: 'restore.S3IngestionRoleArn',
  },
  {
    name: 'role ARN in an unknown partition',
    mutate: (s) => (s.restore.S3IngestionRoleArn = 'arn:aws-xx:iam::123456789012:role/x'),
    path: 'restore.S3IngestionRoleArn',
  },
  { name: 'bucket with capitals', mutate: (s) => (s.restore.S3BucketName = 'Orders'), path: 'restore.S3BucketName' },
  { name: 'bucket too short', mutate: (s) => (s.restore.S3BucketName = 'ab'), path: 'restore.S3BucketName' },
  {
    name: 'bucket shaped like an IP address',
    mutate: (s) => (s.restore.S3BucketName = '192.168.1.1'),
    path: 'restore.S3BucketName',
  },
  { name: 'bucket with adjacent dots', mutate: (s) => (s.restore.S3BucketName = 'a..b'), path: 'restore.S3BucketName' },
  { name: 'bucket missing', mutate: (s) => delete s.restore.S3BucketName, path: 'restore.S3BucketName' },
  {
    name: 'master username starting with a digit',
    mutate: (s) => (s.restore.MasterUsername = '1admin'),
    path: 'restore.MasterUsername',
  },
  {
    name: 'master username of 17 characters',
    mutate: (s) => (s.restore.MasterUsername = long(17)),
    path: 'restore.MasterUsername',
  },
  {
    name: 'master username rdsadmin',
    mutate: (s) => (s.restore.MasterUsername = 'rdsadmin'),
    path: 'restore.MasterUsername',
  },
  {
    name: 'password too short',
    mutate: (s) => (s.restore.MasterUserPassword = 'Sh0rt!'),
    path: 'restore.MasterUserPassword',
  },
  {
    name: 'password with a slash',
    mutate: (s) => (s.restore.MasterUserPassword = 'Secret/Passw0rd'),
    path: 'restore.MasterUserPassword',
  },
  {
    name: 'password with an at sign',
    mutate: (s) => (s.restore.MasterUserPassword = 'Secret@Passw0rd'),
    path: 'restore.MasterUserPassword',
  },
  {
    name: 'password with a double quote',
    mutate: (s) => (s.restore.MasterUserPassword = 'Secret"Passw0rd'),
    path: 'restore.MasterUserPassword',
  },
  {
    name: 'password of 42 characters',
    mutate: (s) => (s.restore.MasterUserPassword = `Pw${long(40)}`),
    path: 'restore.MasterUserPassword',
  },
  {
    name: 'password and ManageMasterUserPassword',
    mutate: (s) => (s.restore.ManageMasterUserPassword = true),
    path: 'restore.ManageMasterUserPassword',
  },
  {
    name: 'password and MasterUserPasswordSecretArn',
    mutate: (s) =>
      (s.restore.MasterUserPasswordSecretArn = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:m-AbCdEf'),
    path: 'restore.MasterUserPasswordSecretArn',
  },
  {
    name: 'MasterUserPasswordSecretArn that is not a secret ARN',
    mutate: (s) => {
      delete s.restore.MasterUserPassword;
      s.restore.MasterUserPasswordSecretArn = 'arn:aws:iam::123456789012:role/not-a-secret';
    },
    path: 'restore.MasterUserPasswordSecretArn',
  },
  {
    name: 'no password with ManageMasterUserPassword false',
    mutate: (s) => {
      delete s.restore.MasterUserPassword;
      s.restore.ManageMasterUserPassword = false;
    },
    path: 'restore.MasterUserPasswordSecretArn',
  },
  { name: 'port as a string', mutate: (s) => (s.restore.Port = '3306'), path: 'restore.Port' },
  {
    name: 'backup retention of 36 days',
    mutate: (s) => (s.restore.BackupRetentionPeriod = 36),
    path: 'restore.BackupRetentionPeriod',
  },
  {
    name: 'unknown CloudWatch log type',
    mutate: (s) => (s.restore.EnableCloudwatchLogsExports = ['binlog']),
    path: 'restore.EnableCloudwatchLogsExports[0]',
  },
  { name: 'storage type gp3', mutate: (s) => (s.restore.StorageType = 'gp3'), path: 'restore.StorageType' },
  {
    name: 'security group of the wrong shape',
    mutate: (s) => (s.restore.VpcSecurityGroupIds = ['default']),
    path: 'restore.VpcSecurityGroupIds[0]',
  },
  {
    name: 'tag with an aws: key',
    mutate: (s) => (s.restore.Tags = [{ Key: 'aws:owner', Value: 'x' }]),
    path: 'restore.Tags[0].Key',
  },
  {
    name: 'tag with the reserved owner key',
    mutate: (s) => (s.restore.Tags = [{ Key: 'aurora-migrate:workflow-id', Value: 'x' }]),
    path: 'restore.Tags[0].Key',
  },
  {
    name: 'backup window of the wrong shape',
    mutate: (s) => (s.restore.PreferredBackupWindow = '3am'),
    path: 'restore.PreferredBackupWindow',
  },
  {
    name: 'instance class without db. prefix',
    mutate: (s) => (s.instances[0]!.DBInstanceClass = 'r6g.large'),
    path: 'instances[0].DBInstanceClass',
  },
  {
    name: 'instance class missing',
    mutate: (s) => delete s.instances[1]!.DBInstanceClass,
    path: 'instances[1].DBInstanceClass',
  },
  {
    name: 'instance identifier invalid',
    mutate: (s) => (s.instances[1]!.DBInstanceIdentifier = 'reader_1'),
    path: 'instances[1].DBInstanceIdentifier',
  },
  {
    name: 'duplicate instance identifiers (case-insensitive)',
    mutate: (s) => (s.instances[1]!.DBInstanceIdentifier = String(s.instances[0]!.DBInstanceIdentifier).toUpperCase()),
    path: 'instances[1].DBInstanceIdentifier',
  },
  {
    name: 'misspelt instance key',
    mutate: (s) => (s.instances[0]!.DBInstanceClas = 'db.r6g.large'),
    path: 'instances[0].DBInstanceClas',
  },
  {
    name: 'promotion tier 16',
    mutate: (s) => (s.instances[1]!.PromotionTier = 16),
    path: 'instances[1].PromotionTier',
  },
  {
    name: 'monitoring interval 7',
    mutate: (s) => (s.instances[0]!.MonitoringInterval = 7),
    path: 'instances[0].MonitoringInterval',
  },
  {
    name: 'monitoring without a role',
    mutate: (s) => (s.instances[0]!.MonitoringInterval = 60),
    path: 'instances[0].MonitoringRoleArn',
  },
  {
    name: 'db.serverless without scaling configuration',
    mutate: (s) => (s.instances[0]!.DBInstanceClass = 'db.serverless'),
    path: 'instances[0].DBInstanceClass',
  },
  {
    name: 'serverless min above max',
    mutate: (s) => (s.restore.ServerlessV2ScalingConfiguration = { MinCapacity: 8, MaxCapacity: 4 }),
    path: 'restore.ServerlessV2ScalingConfiguration.MinCapacity',
  },
  {
    name: 'serverless capacity not in 0.5 steps',
    mutate: (s) => (s.restore.ServerlessV2ScalingConfiguration = { MinCapacity: 0.75, MaxCapacity: 4 }),
    path: 'restore.ServerlessV2ScalingConfiguration.MinCapacity',
  },
  {
    name: 'serverless capacity above 256',
    mutate: (s) => (s.restore.ServerlessV2ScalingConfiguration = { MinCapacity: 1, MaxCapacity: 512 }),
    path: 'restore.ServerlessV2ScalingConfiguration.MaxCapacity',
  },
  { name: 'validation mode thorough', mutate: (s) => (s.options.validation = 'thorough'), path: 'options.validation' },
  { name: 'failure policy destroy', mutate: (s) => (s.options.onFailure = 'destroy'), path: 'options.onFailure' },
  {
    name: 'duration in fortnights',
    mutate: (s) => (s.options.clusterTimeout = '2 fortnights'),
    path: 'options.clusterTimeout',
  },
  { name: 'negative duration', mutate: (s) => (s.options.pollInterval = -5), path: 'options.pollInterval' },
  {
    name: 'duration with a tab before its unit (Temporal cannot read it)',
    mutate: (s) => (s.options.clusterTimeout = '48\th'),
    path: 'options.clusterTimeout',
  },
  {
    name: 'poll interval shorter than Temporal can honour',
    mutate: (s) => (s.options.pollInterval = '200ms'),
    path: 'options.pollInterval',
  },
  {
    name: 'maximum poll interval shorter than Temporal can honour',
    mutate: (s) => (s.options.maxPollInterval = '500ms'),
    path: 'options.maxPollInterval',
  },
  {
    name: 'maximum poll interval below the poll interval',
    mutate: (s) => {
      s.options.pollInterval = '5m';
      s.options.maxPollInterval = '2m';
    },
    path: 'options.maxPollInterval',
  },
  {
    name: 'maximum poll interval below the default poll interval (1m)',
    mutate: (s) => (s.options.maxPollInterval = '30s'),
    path: 'options.maxPollInterval',
  },
  {
    name: 'requireApproval as a string',
    mutate: (s) => (s.options.requireApproval = 'yes'),
    path: 'options.requireApproval',
  },
  { name: 'misspelt option', mutate: (s) => (s.options.onfailure = 'retain'), path: 'options.onfailure' },
];

/** The valid spec with one case applied (a deep copy; the base is untouched). */
export function applyCase(testCase: InvalidCase, clusterId = 'orders-aurora'): unknown {
  const spec = JSON.parse(JSON.stringify(validSpec(clusterId))) as Mutable;
  testCase.mutate(spec);
  return spec;
}
