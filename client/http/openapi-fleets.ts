/**
 * The OpenAPI schemas of the fleet routes (`/fleets`), kept beside the main document's so that both stay short.
 */
import { FleetSteps } from '../../workflows/fleet/types';
import { MigrationSteps } from '../../workflows/types';

const str = { type: 'string' };
const int = { type: 'integer' };
const dateTime = { type: 'string', format: 'date-time' };
const obj = (properties: Record<string, unknown>, required: string[] = []) => ({
  type: 'object',
  properties,
  ...(required.length ? { required } : {}),
});

/** `components.schemas` entries of the fleet routes. */
export function fleetSchemas(): Record<string, unknown> {
  const spec = { $ref: '#/components/schemas/MigrationSpec' };
  return {
    FleetManifest: obj(
      {
        name: {
          type: 'string',
          pattern: '^[a-zA-Z0-9][a-zA-Z0-9-]{0,99}$',
          description: 'The fleet ID is aurora-migrate-fleet:<name>',
        },
        options: obj({
          maxInFlight: { type: 'integer', minimum: 1, default: 5 },
          failureBudget: { type: 'integer', minimum: 1, description: 'Failures after which no new migration starts' },
          waveSize: { type: 'integer', minimum: 1, description: 'Databases per wave (default: all)' },
          approvalBetweenWaves: { type: 'boolean', default: false },
          approvalTimeout: { type: ['string', 'integer'], default: '7d' },
          adoptedPollInterval: { type: ['string', 'integer'], default: '30s' },
          continueAsNewAfter: { type: 'integer', minimum: 1, default: 200 },
        }),
        template: {
          type: 'object',
          description: 'A migration spec whose strings may contain {id}; DBClusterIdentifier defaults to the id',
        },
        databases: {
          type: 'array',
          minItems: 1,
          maxItems: 2000,
          description: 'Migration specs, or with a template: { id, overrides? } (overrides merged into the template)',
          items: { oneOf: [spec, obj({ id: str, overrides: { type: 'object' } }, ['id'])] },
        },
      },
      ['name', 'databases'],
    ),
    FleetStarted: obj({ id: str, created_at: dateTime, total: int, attached: { type: 'boolean' } }, [
      'id',
      'created_at',
    ]),
    FleetStatus: obj(
      {
        workflowId: str,
        name: str,
        status: str,
        step: { type: 'string', enum: [...FleetSteps] },
        startedAt: dateTime,
        closedAt: dateTime,
        total: int,
        wave: obj({ index: int, count: int, size: int }),
        counts: obj({ pending: int, running: int, completed: int, failed: int, cancelled: int }),
        steps: { type: 'object', propertyNames: { enum: [...MigrationSteps] }, additionalProperties: int },
        running: { type: 'array', items: str },
        failures: { type: 'array', items: obj({ workflowId: str, failureType: str, reason: str }) },
        budget: obj({ failures: int, allowed: int, exhausted: { type: 'boolean' } }),
        awaitingApprovalForWave: int,
        eta: dateTime,
        lastError: str,
      },
      ['workflowId', 'status', 'step', 'counts'],
    ),
    FleetList: {
      type: 'array',
      items: obj({ workflowId: str, status: str, startedAt: dateTime, closedAt: dateTime }, ['workflowId', 'status']),
    },
  };
}
