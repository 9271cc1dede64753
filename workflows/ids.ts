/**
 * Names shared by the workflow, the worker and the clients: task queue, workflow IDs, search attributes,
 * signals, queries and updates. Dependency-free apart from type-only imports.
 */

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

/** Custom search attributes (all Keyword) the workflow keeps current, and the dev server registers. */
export const SearchAttributes = {
  MigrationStep: 'MigrationStep',
  DBClusterIdentifier: 'DBClusterIdentifier',
  SourceBucket: 'SourceBucket',
  AwsRegion: 'AwsRegion',
} as const;

/** Signal, query and update names. */
export const Messages = {
  progressQuery: 'progress',
  rdsEventSignal: 'rdsEvent',
  statusObservedSignal: 'statusObserved',
  validationProgressSignal: 'validationProgress',
  approveSignal: 'approve',
  rejectSignal: 'reject',
  approveUpdate: 'approveMigration',
  rejectUpdate: 'rejectMigration',
} as const;
