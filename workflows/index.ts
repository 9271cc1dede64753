/** The worker's workflowsPath: every workflow this worker runs. */
export { migrateToAurora } from './migrate-to-aurora';
export { migrateFleet } from './fleet/migrate-fleet';
