/**
 * Inputs, results and progress of the migration workflow and its activities.
 *
 * This module is dependency-free: the workflow bundle, the worker, the client library, the CLI and the HTTP
 * service all import it. RDS parameters keep AWS's own PascalCase names so that a spec reads like the API.
 */
import type { CutoverReport, ReplicationProgress, ReplicationSpec } from './replication-types';

export type * from './replication-types';

/** A key/value tag as RDS models it. */
export interface Tag {
  Key: string;
  Value: string;
}

/** Aurora Serverless v2 capacity range, in Aurora capacity units (ACUs). */
export interface ServerlessV2ScalingConfiguration {
  MinCapacity: number;
  MaxCapacity: number;
  /** Seconds of inactivity before a 0-ACU cluster pauses. */
  SecondsUntilAutoPause?: number;
}

/** Tags RDS puts on a resource it creates as a side effect (for a restore: `cluster-auto-backup`). */
export interface TagSpecification {
  ResourceType: 'cluster-auto-backup';
  Tags: Tag[];
}

/** An IAM role to associate with the cluster at restore time (e.g. for `LOAD DATA FROM S3`). */
export interface AssociatedRole {
  RoleArn: string;
  FeatureName?: string;
}

/** The RestoreDBClusterFromS3 parameters that aurora-migrate passes through, in AWS's names. */
export interface RestoreClusterParams {
  DBClusterIdentifier: string;
  Engine: 'aurora-mysql';
  EngineVersion?: string;
  MasterUsername: string;
  /** Sensitive: only ever travels inside encrypted payloads. Prefer ManageMasterUserPassword. */
  MasterUserPassword?: string;
  /**
   * aurora-migrate's own (never sent to RDS): a Secrets Manager secret whose value (its `password` key when JSON,
   * else the whole string) the restore activity reads at call time and sends as MasterUserPassword, so the
   * password itself never enters the workflow's history.
   */
  MasterUserPasswordSecretArn?: string;
  ManageMasterUserPassword?: boolean;
  MasterUserSecretKmsKeyId?: string;
  SourceEngine: 'mysql';
  SourceEngineVersion: string;
  S3BucketName: string;
  S3Prefix?: string;
  S3IngestionRoleArn: string;
  DBSubnetGroupName?: string;
  VpcSecurityGroupIds?: string[];
  AvailabilityZones?: string[];
  Port?: number;
  DatabaseName?: string;
  CharacterSetName?: string;
  DBClusterParameterGroupName?: string;
  OptionGroupName?: string;
  BackupRetentionPeriod?: number;
  PreferredBackupWindow?: string;
  PreferredMaintenanceWindow?: string;
  Tags?: Tag[];
  StorageEncrypted?: boolean;
  KmsKeyId?: string;
  EnableIAMDatabaseAuthentication?: boolean;
  BacktrackWindow?: number;
  EnableCloudwatchLogsExports?: string[];
  DeletionProtection?: boolean;
  CopyTagsToSnapshot?: boolean;
  StorageType?: 'aurora' | 'aurora-iopt1';
  NetworkType?: 'IPV4' | 'DUAL';
  ServerlessV2ScalingConfiguration?: ServerlessV2ScalingConfiguration;
  /** Active Directory directory ID for Kerberos authentication, e.g. `d-1234567890`; needs DomainIAMRoleName. */
  Domain?: string;
  /** Name of the IAM role RDS uses to call Directory Service; only with Domain. */
  DomainIAMRoleName?: string;
  EngineLifecycleSupport?: 'open-source-rds-extended-support' | 'open-source-rds-extended-support-disabled';
  TagSpecifications?: TagSpecification[];
  AssociatedRoles?: AssociatedRole[];
}

/** One DB instance to add to the restored cluster, in CreateDBInstance's names. The first is the writer. */
export interface InstanceSpec {
  DBInstanceIdentifier: string;
  /** e.g. `db.r6g.large`, or `db.serverless` (needs the cluster's ServerlessV2ScalingConfiguration). */
  DBInstanceClass: string;
  PromotionTier?: number;
  AvailabilityZone?: string;
  PubliclyAccessible?: boolean;
  DBParameterGroupName?: string;
  AutoMinorVersionUpgrade?: boolean;
  EnablePerformanceInsights?: boolean;
  MonitoringInterval?: number;
  MonitoringRoleArn?: string;
  CACertificateIdentifier?: string;
  Tags?: Tag[];
}

/** How thoroughly the backup is checked before anything is created. */
export const ValidationModes = ['quick', 'deep'] as const;
/** `quick` reads metadata only; `deep` also reads and checksums every byte. */
export type ValidationMode = (typeof ValidationModes)[number];

/** What happens to resources the migration created when it fails or is cancelled. */
export const FailurePolicies = ['retain', 'delete'] as const;
/** `retain` leaves everything for inspection; `delete` removes instances then the cluster, if tagged ours. */
export type FailurePolicy = (typeof FailurePolicies)[number];

/** Tunables of one migration. Durations are Temporal duration strings (`'30s'`, `'48h'`) or milliseconds. */
export interface MigrationOptions {
  /** @default 'quick' */
  validation?: ValidationMode;
  /** @default 'retain' */
  onFailure?: FailurePolicy;
  /** Stop after validation until an `approve` (or `reject`) arrives. @default false */
  requireApproval?: boolean;
  /**
   * The densest cadence of status reads while waiting (near the predicted end of a restore, and for
   * instances). Temporal's guidance for this polling pattern is one minute or more. @default '1m'
   */
  pollInterval?: string | number;
  /** The sparsest cadence, while the predicted end is far. @default '15m' */
  maxPollInterval?: string | number;
  /** Overall deadline for the cluster to become available. @default '48h' */
  clusterTimeout?: string | number;
  /** Overall deadline for each instance to become available. @default '6h' */
  instanceTimeout?: string | number;
  /** How long IAM/S3 propagation errors of RestoreDBClusterFromS3 are retried. @default '5m' */
  propagationRetryWindow?: string | number;
  /** How long the approval gate waits before failing. @default '7d' */
  approvalTimeout?: string | number;
}

/** The one input of `migrateToAurora`. */
export interface MigrationInput {
  /** AWS Region of the cluster (and, Aurora requires, of the bucket). */
  region: string;
  restore: RestoreClusterParams;
  /** Writer first, then readers. May be empty (cluster only). */
  instances: InstanceSpec[];
  options?: MigrationOptions;
  /** Replicate from the source after the restore, then cut over. Absent: the migration ends at the restore. */
  replication?: ReplicationSpec;
}

/** Severity of a validation finding: an error blocks the restore, a warning is recorded. */
export type FindingSeverity = 'error' | 'warning' | 'info';

/** One defect (or notable fact) the validator found. */
export interface ValidationFinding {
  /** Stable code, e.g. `BACKUP_INCREMENTAL`, safe to match on. */
  code: string;
  severity: FindingSeverity;
  /** The S3 key (or `s3://bucket/prefix`) a backup finding is about; the spec field (`restore.KmsKeyId`) of a pre-flight one. */
  path?: string;
  message: string;
  /** What to do about it. */
  fix: string;
}

/** Where the backup stops in the source's binary log: where replication from the source resumes. */
export interface BinlogCoordinates {
  file?: string;
  position?: number;
  gtidSet?: string;
}

/** The layouts an XtraBackup backup can have in S3. */
export type BackupFormat = 'directory' | 'xbstream' | 'tar' | 'tar.gz' | 'gzip' | 'unknown';

/** What the validator found, in full. */
export interface ValidationReport {
  ok: boolean;
  mode: ValidationMode;
  bucket: string;
  prefix: string;
  format: BackupFormat;
  objectCount: number;
  totalBytes: number;
  /** e.g. `5.7.12-5`. */
  serverVersion?: string;
  /** e.g. `2.4.21`. */
  toolVersion?: string;
  backupType?: string;
  binlog?: BinlogCoordinates;
  findings: ValidationFinding[];
  /** Deep mode: bytes read and checksummed. */
  bytesVerified?: number;
  durationMs: number;
}

/** The validation outcome carried in progress and results (the report minus bulky parts). */
export interface ValidationSummary {
  ok: boolean;
  mode: ValidationMode;
  format: BackupFormat;
  objectCount: number;
  totalBytes: number;
  serverVersion?: string;
  toolVersion?: string;
  errors: number;
  warnings: number;
  findings: ValidationFinding[];
  binlog?: BinlogCoordinates;
}

/** The steps of a migration, in order, as shown in progress and the `MigrationStep` search attribute. */
export const MigrationSteps = [
  'validating',
  'awaiting-approval',
  'restoring',
  'waiting-for-cluster',
  'creating-instances',
  'waiting-for-instances',
  'replicating',
  'catching-up',
  'awaiting-cutover',
  'cutting-over',
  'cleaning-up',
  'completed',
  'failed',
  'cancelled',
] as const;
/** One step of a migration. */
export type MigrationStep = (typeof MigrationSteps)[number];

/** A status RDS reported for a resource, and when we first saw it. */
export interface ObservedStatus {
  status: string;
  /** ISO 8601. */
  at: string;
  percentProgress?: string;
}

/** The cluster as the migration reports it. */
export interface ClusterSummary {
  DBClusterIdentifier: string;
  DBClusterArn?: string;
  Status: string;
  Endpoint?: string;
  ReaderEndpoint?: string;
  Port?: number;
  EngineVersion?: string;
  MasterUserSecretArn?: string;
}

/** An instance as the migration reports it. */
export interface InstanceSummary {
  DBInstanceIdentifier: string;
  DBInstanceClass?: string;
  DBInstanceStatus: string;
  Endpoint?: string;
  IsClusterWriter?: boolean;
}

/** Milliseconds spent in each step that ran. */
export type StepDurations = Partial<Record<MigrationStep, number>>;

/** Who approved or rejected the migration, and when. */
export interface ApprovalDecision {
  approved: boolean;
  by: string;
  reason?: string;
  /** ISO 8601. */
  at: string;
}

/** What the failure or cancellation policy did. */
export interface CleanupOutcome {
  policy: FailurePolicy;
  removed: string[];
  kept: string[];
  errors: string[];
}

/** Live state of a migration, answered by the `progress` query. Never contains secrets. */
export interface MigrationProgress {
  workflowId: string;
  step: MigrationStep;
  /** ISO 8601. */
  startedAt: string;
  region: string;
  clusterId: string;
  cluster?: ObservedStatus & { history: ObservedStatus[] };
  /** When the restore is predicted to end (while waiting for the cluster), and from what. */
  eta?: RestoreEstimate;
  /** The first prediction, kept for the result. */
  firstEta?: RestoreEstimate;
  /** Once the cluster is available: how long the restore took beside what was predicted. */
  restore?: RestoreTiming;
  instances: Record<string, ObservedStatus>;
  stepDurations: StepDurations;
  validation?: ValidationSummary;
  /** Percentage of deep validation done, 0–100, when known. */
  validationPercent?: number;
  approval?: ApprovalDecision;
  /** Activity retries observed so far (throttling, propagation, transient errors). */
  retries: number;
  lastError?: string;
  cleanup?: CleanupOutcome;
  /** With a `replication` section, from the `replicating` step on: where it started, the lag, the cutover. */
  replication?: ReplicationProgress;
  /** Once the cutover completed: its report (also the result's `cutover`). */
  cutover?: CutoverReport;
}

/** What `migrateToAurora` returns when it completes. */
export interface MigrationResult {
  workflowId: string;
  cluster: ClusterSummary;
  instances: InstanceSummary[];
  stepDurations: StepDurations;
  validation: ValidationSummary;
  /** Binlog coordinates of the backup, for setting up replication from the source. */
  binlog?: BinlogCoordinates;
  /**
   * The binlog position the cluster recovered to, from its "Recovered from Binary log filename" (or "Binlog
   * position from crash recovery") RDS event; absent when RDS reported none. Compare it with `binlog`.
   */
  recoveredBinlog?: BinlogCoordinates;
  approval?: ApprovalDecision;
  /** True when the cluster already existed, tagged ours, and was adopted rather than created. */
  adoptedCluster: boolean;
  /** How long the restore took beside what was predicted. */
  restore?: RestoreTiming;
  /** With a `replication` section: the cutover (read-only window, final position, verification, endpoint). */
  cutover?: CutoverReport;
}

/** Payload of the `rdsEvent` signal: an RDS event notification that may end a wait early. */
export interface RdsEventSignal {
  sourceType: 'db-cluster' | 'db-instance';
  sourceId: string;
  message?: string;
  /** e.g. `RDS-EVENT-0170`. */
  eventId?: string;
}

/** Payload of the status signal waiting activities send when RDS reports a new status (or a new ETA). */
export interface StatusObservedSignal {
  kind: 'cluster' | 'instance';
  id: string;
  status: string;
  percentProgress?: string;
  /** ISO 8601. */
  at: string;
  /** The restore's predicted end, on cluster reads while it is being restored. */
  eta?: RestoreEstimate;
}

/** A prediction of when the restore ends. */
export interface RestoreEstimate {
  /** ISO 8601. */
  expectedAt: string;
  /** Predicted restore duration, from the RestoreDBClusterFromS3 call. */
  expectedSeconds: number;
  /**
   * `percent-progress`: extrapolated from RDS's PercentProgress; `learned-throughput`: the backup's size over
   * the throughput of this deployment's completed restores; `default-throughput`: the same over the stated
   * default (100 MiB/s plus 10 minutes) before any restore completed.
   */
  basis: 'percent-progress' | 'learned-throughput' | 'default-throughput';
}

/** The restore's prediction beside what happened, in the result. */
export interface RestoreTiming {
  /** Seconds from the RestoreDBClusterFromS3 call to the cluster seen available. */
  actualSeconds: number;
  /** The first prediction made, and the last one before the end. */
  firstEstimate?: RestoreEstimate;
  lastEstimate?: RestoreEstimate;
  /** The backup's size the prediction used. */
  backupBytes: number;
  /** The last estimate's `expectedSeconds` minus `actualSeconds` (positive: it predicted too long). */
  lastEstimateErrorSeconds?: number;
}

/** Payload of the `approve` and `reject` signals/updates. */
export interface ApprovalInput {
  by: string;
  reason?: string;
}
