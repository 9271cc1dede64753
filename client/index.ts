/**
 * The aurora-migrate client library (the package's main entry, `require('aurora-migrate')` or
 * `import … from 'aurora-migrate'`): what other Node services import to check, start, follow and steer
 * migrations. The CLI and the HTTP service are built on exactly these functions; the README's "The library"
 * section has one example of each.
 */
export { ConfigError, loadConfig, type AppConfig, type CodecKey } from '../config/app-config';
/** Sends the spans still buffered (when tracing is configured); call before a short-lived program exits. */
export { flushTracing } from '../config/tracing';
export * from './errors';
export { listMigrations, listQuery, ListFilterError, MigrationStates } from './list';
export type { ListFilters, MigrationListItem, MigrationState } from './list';
export { getProgress, type MigrationStatus, type ProgressOptions } from './progress';
export { parseRdsEvent, sendRdsEvent, type ParsedRdsEvent } from './rds-events';
export * from './spec';
export { specHash, staticDetails, staticSummary } from './spec-metadata';
export {
  approveMigration,
  cancelMigration,
  connect,
  cutover,
  getResult,
  migrationHandle,
  rejectMigration,
  startMigration,
  type MigrationClient,
  type MigrationMemo,
  type StartedMigration,
  type StartOptions,
} from './temporal';
// Everything of the dry run (the backup validation, and the AWS pre-flight where the build has it).
export * from './validation';
export { migrationOutcome, watchProgress, type MigrationOutcome, type WatchOptions } from './watch';
// The workflow's contract, as the library's callers see it: spec, progress and result types, names, failures.
export { FailureTypes, type FailureType } from '../workflows/errors';
export { DEFAULT_TASK_QUEUE, migrationWorkflowId, SearchAttributeKeys, WORKFLOW_TYPE } from '../workflows/ids';
export { FailurePolicies, MigrationSteps, ValidationModes } from '../workflows/types';
export type * from '../workflows/types';
export * from './fleet';
