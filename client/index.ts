/**
 * The aurora-migrate client library: what other Node services import to start and steer migrations.
 */
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
  getResult,
  migrationHandle,
  rejectMigration,
  startMigration,
  type MigrationClient,
  type MigrationMemo,
  type StartedMigration,
  type StartOptions,
} from './temporal';
export * from './fleet';
