/**
 * Names shared by the workflow, the worker and the clients: task queue, workflow IDs, search attributes,
 * signals, queries and updates. Depends only on @temporalio/common, which is safe in the workflow bundle.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** The task queue the worker polls unless configured otherwise. */
export const DEFAULT_TASK_QUEUE = 'aurora-migrate';

/** The workflow type name. */
export const WORKFLOW_TYPE = 'migrateToAurora';

/** Tag key that marks a cluster or instance as created by one migration; the value is the workflow ID. */
export const OWNER_TAG_KEY = 'aurora-migrate:workflow-id';

/**
 * The workflow ID of the migration of one cluster: one migration per cluster and Region.
 * RDS identifiers are case-insensitive and stored lower-case, so the ID is too.
 */
export function migrationWorkflowId(region: string, dbClusterIdentifier: string): string {
  return `aurora-migrate:${region.toLowerCase()}:${dbClusterIdentifier.toLowerCase()}`;
}

/** Custom search attributes the workflow keeps current; the dev server registers them at start. */
export const SearchAttributeKeys = {
  step: defineSearchAttributeKey('MigrationStep', SearchAttributeType.KEYWORD),
  clusterId: defineSearchAttributeKey('DBClusterIdentifier', SearchAttributeType.KEYWORD),
  sourceBucket: defineSearchAttributeKey('SourceBucket', SearchAttributeType.KEYWORD),
  region: defineSearchAttributeKey('AwsRegion', SearchAttributeType.KEYWORD),
  instanceIds: defineSearchAttributeKey('DBInstanceIdentifiers', SearchAttributeType.KEYWORD_LIST),
  /** sha256 of the start's Idempotency-Key (set at start only, when a key was given; never the key itself). */
  idempotencyKeyHash: defineSearchAttributeKey('IdempotencyKeyHash', SearchAttributeType.KEYWORD),
} as const;

/** `name=Type` pairs for `temporal server start-dev --search-attribute` and operator registration. */
export const searchAttributeRegistrations: string[] = Object.values(SearchAttributeKeys).map(
  (key) => `${key.name}=${key.type === SearchAttributeType.KEYWORD_LIST ? 'KeywordList' : 'Keyword'}`,
);

/** The memo a completed migration carries for the restore ETA: `{ bytes, ms }` of its restore. */
export const RESTORE_SAMPLE_MEMO = 'restoreSample';

/**
 * `patched()` IDs: each marks a change of the workflow's commands, so that histories recorded before it replay
 * along the old path.
 */
export const Patches = {
  /** Status reads choose their next delay from the restore's ETA; the completed restore's sample goes to the memo. */
  adaptivePolling: 'adaptive-polling-eta',
  /** The AWS pre-flight (Region, RDS, IAM, KMS) runs before the backup validation (workflows/preflight-step). */
  awsPreflight: 'aws-preflight-before-restore',
} as const;

/** Signal, query and update names. */
export const Messages = {
  progressQuery: 'progress',
  rdsEventSignal: 'rdsEvent',
  statusObservedSignal: 'statusObserved',
  /** One read of replication (`ReplicationLag`) from the watching activity. */
  replicationObservedSignal: 'replicationObserved',
  validationProgressSignal: 'validationProgress',
  approveSignal: 'approve',
  rejectSignal: 'reject',
  approveUpdate: 'approveMigration',
  rejectUpdate: 'rejectMigration',
  /** The update that starts a manual cutover (`CutoverRequest` → `CutoverDecision`). */
  cutoverUpdate: 'cutover',
} as const;
