/** The fleet part of the client library: manifests, start, progress, list, cancel. */
export { expandTemplate, ID_PLACEHOLDER } from './expand';
export { MAX_FLEET_DATABASES, parseManifest, type ParsedFleet, type ParseManifestResult } from './manifest';
export { MAX_IN_FLIGHT_LIMIT } from './manifest-options';
export {
  cancelFleet,
  getFleetProgress,
  listFleets,
  startFleet,
  type FleetListItem,
  type FleetStatus,
  type StartedFleet,
} from './temporal';
export { FLEET_WORKFLOW_TYPE, fleetWorkflowId } from '../../workflows/fleet/ids';
export type * from '../../workflows/fleet/types';
