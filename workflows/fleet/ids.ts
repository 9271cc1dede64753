/**
 * Names of the fleet workflow shared by the workflow and its clients: type, workflow ID, messages.
 * Dependency-free, so that the workflow bundle, the CLI and the HTTP service can all import it.
 */

/** The fleet workflow's type name. */
export const FLEET_WORKFLOW_TYPE = 'migrateFleet';

/** Prefix of every fleet's workflow ID; `list` finds fleets by their type, not by this. */
export const FLEET_ID_PREFIX = 'aurora-migrate-fleet:';

/** The workflow ID of a fleet: one fleet per name, so a re-run of the same manifest finds the same fleet. */
export function fleetWorkflowId(name: string): string {
  return `${FLEET_ID_PREFIX}${name.toLowerCase()}`;
}

/**
 * Messages of the fleet. The approval between waves reuses the migration's update and signal names
 * (`approveMigration`/`rejectMigration`, `approve`/`reject`) so that `aurora-migrate approve <fleet-id>` and
 * `POST /migrations/{id}/approve` work on a fleet's wave gate too.
 */
export const FleetMessages = {
  progressQuery: 'fleetProgress',
} as const;
