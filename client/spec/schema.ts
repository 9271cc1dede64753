/**
 * The migration spec schema: `MigrationInput` (workflows/types.ts) with every value rule of
 * RestoreDBClusterFromS3 and CreateDBInstance. One definition serves the CLI, the HTTP API, the library and the
 * published JSON Schema. Objects are strict so that a misspelt parameter is an error, not a silent no-op.
 */
import { z } from 'zod';
import { OWNER_TAG_KEY } from '../../workflows/ids';
import { FailurePolicies, ValidationModes } from '../../workflows/types';
import { replicationSchema, SECRET_ARN_PATTERN } from './replication-schema';
import * as rules from './rules';

function ruled(
  rule: rules.Rule,
  meta: { description: string; pattern?: string; examples?: string[]; writeOnly?: boolean },
) {
  return z
    .string()
    .superRefine((value, ctx) => {
      const reason = rule(value);
      if (reason) ctx.addIssue({ code: 'custom', message: reason });
    })
    .meta(meta);
}

/** An error message that says "is required" when the field is missing, otherwise `message`. */
function required(message: string) {
  return (issue: { input?: unknown }) => (issue.input === undefined ? `is required; ${message}` : message);
}

function int(min: number, max: number, description: string) {
  return z
    .number()
    .int({ error: `must be a whole number from ${min} to ${max}` })
    .min(min, { error: `must be at least ${min}` })
    .max(max, { error: `must be at most ${max}` })
    .meta({ description });
}

function text(min: number, max: number, description: string) {
  return z
    .string()
    .min(min, { error: `must not be empty` })
    .max(max, { error: `must be at most ${max} characters long` })
    .meta({ description });
}

const identifier = (what: string) =>
  ruled(rules.identifierRule, {
    description: `${what}: 1–63 letters, digits or hyphens, starting with a letter, no trailing hyphen or "--".`,
    pattern: '^[A-Za-z](?!.*--)[A-Za-z0-9-]{0,61}[A-Za-z0-9]?$',
  });

const tag = z
  .strictObject({
    Key: text(1, 128, 'Tag key.').superRefine((key, ctx) => {
      if (key.toLowerCase().startsWith('aws:')) ctx.addIssue({ code: 'custom', message: 'must not start with aws:' });
      if (key === OWNER_TAG_KEY) {
        ctx.addIssue({ code: 'custom', message: `${OWNER_TAG_KEY} is reserved: aurora-migrate sets it itself` });
      }
    }),
    Value: z.string().max(256, { error: 'must be at most 256 characters long' }),
  })
  .meta({ description: 'A key/value tag.' });

const tags = z.array(tag).max(50, { error: 'at most 50 tags are allowed' });

const capacity = (what: string) =>
  z
    .number()
    .min(0, { error: 'must be at least 0' })
    .max(256, { error: 'must be at most 256 ACUs' })
    .multipleOf(0.5, { error: 'must be a multiple of 0.5 ACU' })
    .meta({ description: `${what}, in Aurora capacity units: 0 to 256 in steps of 0.5.` });

const serverlessScaling = z
  .strictObject({
    MinCapacity: capacity('Minimum capacity'),
    MaxCapacity: capacity('Maximum capacity'),
    SecondsUntilAutoPause: int(300, 86400, 'Seconds of inactivity before a 0-ACU cluster pauses.').optional(),
  })
  .meta({ description: 'Aurora Serverless v2 capacity range; required for db.serverless instances.' });

/** Tags for the automated backups RDS makes of the cluster: the one TagSpecification a restore accepts. */
const tagSpecification = z
  .strictObject({
    ResourceType: z.literal('cluster-auto-backup', {
      error: required('must be cluster-auto-backup (the only resource a restore tags this way)'),
    }),
    Tags: tags.min(1, { error: 'needs at least one tag' }),
  })
  .meta({ description: 'Tags RDS puts on the cluster’s automated backups.' });

/** An IAM role associated with the cluster when it is created (e.g. for LOAD DATA FROM S3). */
const associatedRole = z
  .strictObject({
    RoleArn: ruled(rules.roleArnRule, {
      description: 'IAM role to associate with the cluster.',
      pattern: '^arn:aws(-cn|-us-gov)?:iam::\\d{12}:role/[\\w+=,.@/-]{1,512}$',
    }),
    FeatureName: text(1, 64, 'Feature the role serves; omit for Aurora MySQL (it has no named features).').optional(),
  })
  .meta({ description: 'An IAM role to associate with the cluster.' });

const ENGINE_LIFECYCLE = ['open-source-rds-extended-support', 'open-source-rds-extended-support-disabled'] as const;

const CLOUDWATCH_LOGS = ['audit', 'error', 'general', 'instance', 'slowquery', 'iam-db-auth-error'] as const;

/** RestoreDBClusterFromS3 parameters, in AWS's names. */
export const restoreSchema = z
  .strictObject({
    DBClusterIdentifier: identifier('Identifier of the cluster to create'),
    Engine: z.literal('aurora-mysql', {
      error: required('must be aurora-mysql (the only engine that restores from S3)'),
    }),
    EngineVersion: ruled(rules.engineVersionRule, {
      description: 'Aurora MySQL version; its MySQL major must match SourceEngineVersion.',
      pattern: '^(5\\.7\\.mysql_aurora\\.2|8\\.0\\.mysql_aurora\\.3)\\.\\d{1,2}\\.\\d{1,2}$',
      examples: ['8.0.mysql_aurora.3.04.0', '5.7.mysql_aurora.2.12.0'],
    }).optional(),
    MasterUsername: ruled(rules.masterUsernameRule, {
      description: 'Master user name: 1–16 letters or digits, starting with a letter.',
      pattern: '^[A-Za-z][A-Za-z0-9]{0,15}$',
    }),
    MasterUserPassword: ruled(rules.masterPasswordRule, {
      description: 'Master password (8–41 printable ASCII, not / " @). Prefer ManageMasterUserPassword.',
      writeOnly: true,
    }).optional(),
    MasterUserPasswordSecretArn: z
      .string()
      .regex(SECRET_ARN_PATTERN, {
        error:
          'must be a Secrets Manager secret ARN such as arn:aws:secretsmanager:us-east-1:123456789012:secret:orders-master-AbCdEf',
      })
      .meta({
        description:
          'Secrets Manager secret holding the master password (JSON key "password", or the whole string), read by the worker when it calls RestoreDBClusterFromS3; the password never enters workflow history. aurora-migrate\'s own field, not sent to RDS.',
      })
      .optional(),
    ManageMasterUserPassword: z
      .boolean({ error: 'must be true or false' })
      .meta({ description: 'Keep the master password in Secrets Manager (the default when no password is given).' })
      .optional(),
    MasterUserSecretKmsKeyId: text(1, 2048, 'KMS key for the Secrets Manager secret.').optional(),
    SourceEngine: z.literal('mysql', { error: required('must be mysql (the only source engine)') }),
    SourceEngineVersion: ruled(rules.sourceEngineVersionRule, {
      description: 'MySQL version of the backed-up server: 5.7[.x] or 8.0[.x].',
      pattern: '^(5\\.7|8\\.0)(\\.\\d{1,3})?$',
      examples: ['8.0.36', '5.7.44'],
    }),
    S3BucketName: ruled(rules.bucketRule, {
      description: 'Bucket holding the backup, in the same Region as the cluster.',
      pattern: '^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$',
    }),
    S3Prefix: z.string().max(1024, { error: 'must be at most 1024 characters long' }).optional(),
    S3IngestionRoleArn: ruled(rules.roleArnRule, {
      description: 'IAM role RDS assumes to read the bucket.',
      pattern: '^arn:aws(-cn|-us-gov)?:iam::\\d{12}:role/[\\w+=,.@/-]{1,512}$',
    }),
    DBSubnetGroupName: text(1, 255, 'Existing DB subnet group.').optional(),
    VpcSecurityGroupIds: z
      .array(ruled(rules.securityGroupRule, { description: 'VPC security group ID.', pattern: '^sg-[0-9a-f]{8,17}$' }))
      .optional(),
    AvailabilityZones: z.array(text(1, 64, 'Availability Zone name.')).optional(),
    Port: int(1150, 65535, 'Port the cluster listens on. @default 3306').optional(),
    DatabaseName: z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, { error: 'must be 1–64 letters, digits or underscores, letter first' })
      .optional(),
    CharacterSetName: text(1, 64, 'Character set.').optional(),
    DBClusterParameterGroupName: text(1, 255, 'Existing DB cluster parameter group.').optional(),
    OptionGroupName: text(1, 255, 'Existing option group.').optional(),
    BackupRetentionPeriod: int(1, 35, 'Days automated backups are kept. @default 1').optional(),
    PreferredBackupWindow: ruled(rules.backupWindowRule, { description: 'hh24:mi-hh24:mi (UTC).' }).optional(),
    PreferredMaintenanceWindow: ruled(rules.maintenanceWindowRule, {
      description: 'ddd:hh24:mi-ddd:hh24:mi (UTC).',
    }).optional(),
    Tags: tags.optional(),
    StorageEncrypted: z.boolean({ error: 'must be true or false' }).optional(),
    KmsKeyId: text(1, 2048, 'KMS key for storage encryption.').optional(),
    EnableIAMDatabaseAuthentication: z.boolean({ error: 'must be true or false' }).optional(),
    BacktrackWindow: int(0, 259200, 'Backtrack window in seconds. @default 0').optional(),
    EnableCloudwatchLogsExports: z
      .array(z.enum(CLOUDWATCH_LOGS, { error: `must be one of ${CLOUDWATCH_LOGS.join(', ')}` }))
      .optional(),
    DeletionProtection: z.boolean({ error: 'must be true or false' }).optional(),
    CopyTagsToSnapshot: z.boolean({ error: 'must be true or false' }).optional(),
    StorageType: z.enum(['aurora', 'aurora-iopt1'], { error: 'must be aurora or aurora-iopt1' }).optional(),
    NetworkType: z.enum(['IPV4', 'DUAL'], { error: 'must be IPV4 or DUAL' }).optional(),
    ServerlessV2ScalingConfiguration: serverlessScaling.optional(),
    Domain: ruled(rules.domainRule, {
      description: 'Directory Service directory ID for Kerberos authentication; needs DomainIAMRoleName.',
      pattern: '^d-[0-9a-f]{10}$',
    }).optional(),
    DomainIAMRoleName: ruled(rules.roleNameRule, {
      description: 'Name (not ARN) of the IAM role RDS uses to call Directory Service; only with Domain.',
      pattern: '^[\\w+=,.@-]{1,64}$',
    }).optional(),
    EngineLifecycleSupport: z
      .enum(ENGINE_LIFECYCLE, { error: `must be ${ENGINE_LIFECYCLE.join(' or ')}` })
      .meta({
        description: 'RDS Extended Support after end of standard support. @default open-source-rds-extended-support',
      })
      .optional(),
    TagSpecifications: z.array(tagSpecification).max(1, { error: 'at most one (cluster-auto-backup)' }).optional(),
    AssociatedRoles: z.array(associatedRole).max(15, { error: 'at most 15 roles per cluster' }).optional(),
  })
  .meta({ description: 'RestoreDBClusterFromS3 parameters, in AWS PascalCase names.' });

const MONITORING_INTERVALS = [0, 1, 5, 10, 15, 30, 60];

/** CreateDBInstance parameters of one instance; the first instance is the writer. */
export const instanceSchema = z
  .strictObject({
    DBInstanceIdentifier: identifier('Identifier of the instance to create'),
    DBInstanceClass: ruled(rules.instanceClassRule, {
      description: 'Instance class, e.g. db.r6g.large, or db.serverless.',
      pattern: '^db\\.(serverless|[a-z][a-z0-9-]*\\.[a-z0-9]+)$',
    }),
    PromotionTier: int(0, 15, 'Failover priority, 0 (highest) to 15. @default 1').optional(),
    AvailabilityZone: text(1, 64, 'Availability Zone (one of the cluster’s).').optional(),
    PubliclyAccessible: z.boolean({ error: 'must be true or false' }).optional(),
    DBParameterGroupName: text(1, 255, 'Existing DB parameter group.').optional(),
    AutoMinorVersionUpgrade: z.boolean({ error: 'must be true or false' }).optional(),
    EnablePerformanceInsights: z.boolean({ error: 'must be true or false' }).optional(),
    MonitoringInterval: z
      .number()
      .refine((n) => MONITORING_INTERVALS.includes(n), { error: `must be one of ${MONITORING_INTERVALS.join(', ')}` })
      .meta({ description: 'Enhanced Monitoring interval in seconds.', enum: MONITORING_INTERVALS })
      .optional(),
    MonitoringRoleArn: ruled(rules.roleArnRule, { description: 'IAM role for Enhanced Monitoring.' }).optional(),
    CACertificateIdentifier: text(1, 255, 'CA certificate identifier.').optional(),
    Tags: tags.optional(),
  })
  .meta({ description: 'CreateDBInstance parameters of one instance.' });

const duration = z
  .union([
    z.number().int({ error: 'must be a whole number of milliseconds' }).positive({ error: 'must be positive' }),
    ruled(rules.durationRule, { description: 'Duration such as 30s, 5m, 48h, 7d.' }),
  ])
  .meta({ description: 'A duration: a string such as 30s, 48h, 7d, or milliseconds.' });

/** Temporal runs an activity retry (one poll) about once a second at most: a shorter interval is not honoured. */
const pollInterval = duration.refine((value) => rules.durationMs(value) >= 1000, {
  error: 'must be at least 1s (each poll is an activity retry, which Temporal runs about once a second at most)',
});

/** Tunables of one migration. */
export const optionsSchema = z
  .strictObject({
    validation: z.enum(ValidationModes, { error: 'must be quick or deep' }).optional(),
    onFailure: z.enum(FailurePolicies, { error: 'must be retain or delete' }).optional(),
    requireApproval: z.boolean({ error: 'must be true or false' }).optional(),
    pollInterval: pollInterval
      .meta({
        description:
          "Densest cadence of status reads (near the restore's predicted end, and for instances); at least 1s. " +
          "Default 1m, Temporal's guidance for polling by activity retries.",
      })
      .optional(),
    maxPollInterval: pollInterval
      .meta({
        description:
          "Sparsest cadence of status reads, while the restore's predicted end is far; at least pollInterval. " +
          'Default 15m.',
      })
      .optional(),
    clusterTimeout: duration.optional(),
    instanceTimeout: duration.optional(),
    propagationRetryWindow: duration.optional(),
    approvalTimeout: duration.optional(),
  })
  .meta({ description: 'Validation mode, failure policy, approval gate and timing.' });

/** The whole migration spec: `MigrationInput`. */
export const migrationSpecSchema = z
  .strictObject({
    $schema: z.string().meta({ description: 'Editor hint: the URL or path of this JSON Schema. Ignored.' }).optional(),
    region: ruled(rules.regionRule, {
      description: 'AWS Region of the cluster and the bucket.',
      pattern: '^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\\d{1,2}$',
    }),
    restore: restoreSchema,
    instances: z
      .array(instanceSchema)
      .min(1, {
        error:
          'needs at least one instance, the writer (the first in the list): an Aurora cluster without instances accepts no connections',
      })
      .max(16, { error: 'at most 16 instances (1 writer, 15 readers)' }),
    options: optionsSchema.optional(),
    replication: replicationSchema.optional(),
  })
  .meta({
    title: 'aurora-migrate migration spec',
    description: 'Restore an XtraBackup backup from S3 into a new Aurora MySQL cluster, then add instances.',
  });

/** The spec as the schema alone accepts it (before cross-field checks). */
export type SpecShape = z.infer<typeof migrationSpecSchema>;
