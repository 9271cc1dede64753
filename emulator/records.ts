/** The stored shapes of emulated resources and events (what the state file holds; never a password). */

/** A resource tag. */
export interface TagRecord {
  key: string;
  value: string;
}

/** A final failure status an outcome rule assigns, with the custom event text. */
export interface FailureOutcome {
  status: string;
  eventMessage?: string;
}

/** A DB cluster restored from S3. Status is derived from the timestamps (see lifecycle.ts). */
export interface ClusterRecord {
  id: string;
  arn: string;
  resourceId: string;
  /** Epoch ms of the RestoreDBClusterFromS3 call. */
  createdAt: number;
  creatingMs: number;
  migratingMs: number;
  /** Total bytes of the objects under the S3 prefix, when the bucket was checked. */
  backupBytes?: number;
  /** False: PercentProgress is left out of DescribeDBClusters. Absent (older state): reported. */
  reportsPercentProgress?: boolean;
  /** Set when the restore ends in failure instead of `available`. */
  failure?: FailureOutcome;
  /** Epoch ms of the DeleteDBCluster call. */
  deletingSince?: number;
  deletingMs?: number;
  engine: string;
  engineVersion: string;
  sourceEngineVersion: string;
  masterUsername: string;
  port: number;
  s3BucketName: string;
  s3Prefix?: string;
  s3IngestionRoleArn: string;
  dbSubnetGroup?: string;
  vpcSecurityGroupIds: string[];
  availabilityZones: string[];
  parameterGroup: string;
  storageEncrypted: boolean;
  kmsKeyId?: string;
  deletionProtection: boolean;
  masterUserSecret?: { secretArn: string; kmsKeyId: string };
  /** One-way verifier of a given MasterUserPassword (see `master-password.ts`); never the password. */
  masterPasswordVerifier?: string;
  serverlessV2?: { minCapacity?: number; maxCapacity?: number; secondsUntilAutoPause?: number };
  enabledCloudwatchLogsExports: string[];
  backupRetentionPeriod: number;
  databaseName?: string;
  iamDatabaseAuthentication: boolean;
  tags: TagRecord[];
  /** IAM roles associated at restore time (absent in state files written before they were recorded). */
  associatedRoles?: { roleArn: string; featureName?: string }[];
  /** Instance ids in creation order; the first live one is the writer. */
  memberIds: string[];
  /** The real mysqld serving the cluster's data (see emulator/cluster-server/); absent for a failed restore. */
  server?: ClusterServerRecord;
}

/**
 * The state of a cluster's mysqld: `restoring` (the volume is being read from S3 and started; the cluster stays
 * `migrating`), `serving` (it accepts connections on 127.0.0.1:port), `metadata-only` (the emulator cannot serve
 * this backup, for `reason`; the cluster is available but serves no data), `failed` (the backup could not be laid
 * out or mysqld refused it, for `reason`; the cluster is `migration-failed`), `removed` (DeleteDBCluster).
 */
export interface ClusterServerRecord {
  state: 'restoring' | 'serving' | 'metadata-only' | 'failed' | 'removed';
  reason?: string;
  port?: number;
  /** The mysqld major version started. */
  major?: '5.7' | '8.0';
  /** Holds the cluster's volume (`volume/`); the run folder (socket, pid file, error log) is `runDir`. */
  dir?: string;
  runDir?: string;
  /** InnoDB flags the volume needs, kept so a restarted emulator starts it the same way. */
  innodbArgs?: string[];
  /** The binlog position the cluster recovered to. */
  recovered?: { file?: string; position?: number; gtidSet?: string };
}

/** A DB instance in a cluster. */
export interface InstanceRecord {
  id: string;
  arn: string;
  resourceId: string;
  clusterId: string;
  instanceClass: string;
  engine: string;
  engineVersion: string;
  createdAt: number;
  creatingMs: number;
  configuringMs: number;
  backingUpMs: number;
  failure?: FailureOutcome;
  deletingSince?: number;
  deletingMs?: number;
  promotionTier: number;
  publiclyAccessible: boolean;
  availabilityZone: string;
  storageEncrypted: boolean;
  tags: TagRecord[];
}

/** The source types DescribeEvents distinguishes. */
export type EventSourceType = 'db-cluster' | 'db-instance';

/** One RDS event; `date` may lie in the future (a scheduled transition) and is hidden until then. */
export interface EventRecord {
  sourceType: EventSourceType;
  sourceId: string;
  sourceArn: string;
  message: string;
  categories: string[];
  date: number;
}
