/**
 * Failure types of the migration, as `ApplicationFailure.type` values. Match on these, never on message text.
 */
export const FailureTypes = {
  /** The backup failed validation: nothing was created. Non-retryable. */
  BackupInvalid: 'BackupInvalid',
  /** A pre-flight check of the AWS environment (RDS, IAM, KMS, Region) found an error: nothing was created. */
  PreflightFailed: 'PreflightFailed',
  /** The input itself is wrong (bad parameter, missing field). Non-retryable. */
  InvalidInput: 'InvalidInput',
  /** A cluster or instance with our identifier exists and is not ours. Non-retryable. */
  ResourceConflict: 'ResourceConflict',
  /** AWS refused the call for a reason a retry cannot fix (parameters, quota, KMS, missing group). */
  AwsRejected: 'AwsRejected',
  /** AWS throttled, failed with 5xx, or the network broke: retried with backoff. */
  AwsTransient: 'AwsTransient',
  /** RDS cannot yet use the IAM role or bucket (propagation); retried within a window. */
  IamPropagation: 'IamPropagation',
  /** The propagation window ran out: the role or bucket really is wrong. Non-retryable. */
  IamPropagationExpired: 'IamPropagationExpired',
  /** Benign: the cluster is not available yet; the activity's retry policy polls again. */
  ClusterNotReady: 'ClusterNotReady',
  /** Benign: an instance is not available yet. */
  InstanceNotReady: 'InstanceNotReady',
  /** The cluster reached a terminal failure status, e.g. `migration-failed`. Non-retryable. */
  ClusterFailed: 'ClusterFailed',
  /** An instance reached a terminal failure status. Non-retryable. */
  InstanceFailed: 'InstanceFailed',
  /** The cluster or an instance vanished while we waited. Non-retryable. */
  ResourceDisappeared: 'ResourceDisappeared',
  /** The overall wait deadline passed. */
  WaitTimedOut: 'WaitTimedOut',
  /**
   * A Secrets Manager secret the spec names (e.g. restore.MasterUserPasswordSecretArn) cannot be read: missing,
   * scheduled for deletion, not allowed, or not decryptable. Non-retryable; the message names the field.
   */
  SecretUnavailable: 'SecretUnavailable',
  /** The approval gate was rejected or timed out. */
  ApprovalRejected: 'ApprovalRejected',
  /** Fleet: the failure budget ran out, so the databases not yet started were not started. */
  FleetFailureBudgetExhausted: 'FleetFailureBudgetExhausted',
  /** Fleet: a wave would exceed the account's DB cluster or instance quota; nothing of it was started. */
  FleetQuotaExceeded: 'FleetQuotaExceeded',
  /** Benign: an adopted migration is still running; the checking activity's retry policy polls again. */
  MigrationStillRunning: 'MigrationStillRunning',
  /** A MySQL server (the source or the cluster's writer) cannot be reached now: network, restart, too many connections. Retried. */
  MysqlUnavailable: 'MysqlUnavailable',
  /**
   * A MySQL server refused what we asked for a reason a retry cannot fix: access denied, a missing privilege or
   * procedure, a setting that forbids it. Non-retryable; the message names the server, the field and the fix.
   */
  MysqlRejected: 'MysqlRejected',
  /** A replication thread on the cluster stopped with an error (1236, 1062, …); details carry the explanation. Non-retryable. */
  ReplicationStopped: 'ReplicationStopped',
  /** Benign: the cluster has not caught up yet (or not executed the source's final position); polled again. */
  ReplicationBehind: 'ReplicationBehind',
  /**
   * The cutover could not finish (freezeTimeout ran out, verification found a difference, no cutover update in
   * cutoverTimeout): the source was made writable again and the cluster left replicating. Non-retryable.
   */
  CutoverAborted: 'CutoverAborted',
} as const;

/** One failure type name. */
export type FailureType = (typeof FailureTypes)[keyof typeof FailureTypes];

/** Failure types an activity retry policy must not retry. */
export const nonRetryableFailureTypes: FailureType[] = [
  FailureTypes.BackupInvalid,
  FailureTypes.PreflightFailed,
  FailureTypes.InvalidInput,
  FailureTypes.ResourceConflict,
  FailureTypes.AwsRejected,
  FailureTypes.IamPropagationExpired,
  FailureTypes.ClusterFailed,
  FailureTypes.InstanceFailed,
  FailureTypes.ResourceDisappeared,
  FailureTypes.SecretUnavailable,
  FailureTypes.MysqlRejected,
  FailureTypes.ReplicationStopped,
  FailureTypes.CutoverAborted,
];
