/**
 * The route table: one entry per route, used both to register the routes and to build the OpenAPI document,
 * so that the two cannot drift apart.
 */
import type { Handler } from './deps';
import {
  actionHandler,
  approveHandler,
  cancelHandler,
  cutoverHandler,
  listHandler,
  progressHandler,
  rejectHandler,
  startHandler,
} from './handlers/migrations';
import { cancelFleetHandler, fleetProgressHandler, listFleetsHandler, startFleetHandler } from './handlers/fleets';
import { healthHandler, validateHandler } from './handlers/ops';
import { rdsEventHandler } from './handlers/rds-events';

/** A query parameter, for the OpenAPI document. */
export interface QueryParam {
  name: string;
  description: string;
  schema: Record<string, unknown>;
  required?: boolean;
}

/** One route of the HTTP API. */
export interface RouteDef {
  method: 'GET' | 'POST';
  /** Fastify path syntax (`/migrations/:id`). */
  url: string;
  operationId: string;
  summary: string;
  /** Open without a bearer token. @default false */
  public?: boolean;
  /** Also accepts HTTP Basic (AURORA_MIGRATE_SNS_BASIC_AUTH) and a `text/plain` JSON body, as SNS sends. @default false */
  acceptsSns?: boolean;
  query?: QueryParam[];
  /** Name of the request body schema in `components.schemas`. */
  body?: 'MigrationSpec' | 'ApprovalInput' | 'RejectionInput' | 'CutoverRequest' | 'RdsEvent' | 'FleetManifest';
  /** Success status and the name of the `data` schema in `components.schemas`. */
  success: { status: 200 | 202; data: string; description: string };
  /** Error codes this route can answer besides 401/413/415/500. */
  errors: Array<'VALIDATION_ERROR' | 'NOT_FOUND' | 'CONFLICT' | 'UNAVAILABLE'>;
  /** Null for routes served by the server itself (the OpenAPI document). */
  handler: Handler | null;
}

const idempotencyNote =
  'An Idempotency-Key header (kept with the migration in Temporal, so every replica and restart answers it the same) returns the same id and created_at for the same body, even after the migration closed, and 409 for a different body; without a key, the same spec for a running cluster returns that migration.';

/** Every route the server registers. */
export const routes: RouteDef[] = [
  {
    method: 'POST',
    url: '/migrations',
    operationId: 'startMigration',
    summary: `Start a migration from a spec. ${idempotencyNote}`,
    body: 'MigrationSpec',
    success: { status: 202, data: 'Started', description: 'Started, or the running migration of the same spec' },
    errors: ['VALIDATION_ERROR', 'CONFLICT'],
    handler: startHandler,
  },
  {
    method: 'POST',
    url: '/',
    operationId: 'restoreDBClusterFromS3Action',
    summary: 'The same as POST /migrations, in the form the API is published (?Action=RestoreDBClusterFromS3).',
    query: [
      {
        name: 'Action',
        description: 'Must be RestoreDBClusterFromS3',
        schema: { type: 'string', enum: ['RestoreDBClusterFromS3'] },
        required: true,
      },
    ],
    body: 'MigrationSpec',
    success: { status: 202, data: 'Started', description: 'Started, or the running migration of the same spec' },
    errors: ['VALIDATION_ERROR', 'CONFLICT'],
    handler: actionHandler,
  },
  {
    method: 'GET',
    url: '/migrations',
    operationId: 'listMigrations',
    summary: 'List migrations, filtered by step, cluster and state.',
    query: [
      { name: 'step', description: 'MigrationStep search attribute', schema: { type: 'string' } },
      { name: 'cluster', description: 'DBClusterIdentifier', schema: { type: 'string' } },
      { name: 'state', description: 'Execution state', schema: { type: 'string' } },
      { name: 'limit', description: 'Most items returned (1–1000)', schema: { type: 'integer' } },
    ],
    success: { status: 200, data: 'MigrationList', description: 'Matching migrations, newest first' },
    errors: ['VALIDATION_ERROR'],
    handler: listHandler,
  },
  {
    method: 'GET',
    url: '/migrations/:id',
    operationId: 'getMigration',
    summary: 'Progress of one migration.',
    success: { status: 200, data: 'MigrationStatus', description: 'Progress and execution status' },
    errors: ['NOT_FOUND'],
    handler: progressHandler,
  },
  {
    method: 'POST',
    url: '/migrations/:id/cancel',
    operationId: 'cancelMigration',
    summary: 'Cancel a running migration; it stops at a safe point and applies its onFailure policy.',
    success: { status: 202, data: 'CancelRequested', description: 'Cancellation requested' },
    errors: ['NOT_FOUND', 'CONFLICT'],
    handler: cancelHandler,
  },
  {
    method: 'POST',
    url: '/migrations/:id/approve',
    operationId: 'approveMigration',
    summary: 'Approve a migration waiting at its approval gate.',
    body: 'ApprovalInput',
    success: { status: 200, data: 'ApprovalDecision', description: 'The recorded decision' },
    errors: ['VALIDATION_ERROR', 'NOT_FOUND', 'CONFLICT'],
    handler: approveHandler,
  },
  {
    method: 'POST',
    url: '/migrations/:id/reject',
    operationId: 'rejectMigration',
    summary: 'Reject a migration waiting at its approval gate.',
    body: 'RejectionInput',
    success: { status: 200, data: 'ApprovalDecision', description: 'The recorded decision' },
    errors: ['VALIDATION_ERROR', 'NOT_FOUND', 'CONFLICT'],
    handler: rejectHandler,
  },
  {
    method: 'POST',
    url: '/migrations/:id/cutover',
    operationId: 'cutoverMigration',
    summary:
      'Start the manual cutover of a migration with a replication section that is catching up or waiting for it: the source becomes read-only, the cluster executes its last write, the tables are verified and replication is removed (on a failure the source is made writable again). Answers the recorded decision at once; the result carries the cutover report. 409 when the migration refuses it, with the reason.',
    body: 'CutoverRequest',
    success: { status: 200, data: 'CutoverDecision', description: 'The recorded decision' },
    errors: ['VALIDATION_ERROR', 'NOT_FOUND', 'CONFLICT'],
    handler: cutoverHandler,
  },
  {
    method: 'POST',
    url: '/fleets',
    operationId: 'startFleet',
    summary:
      'Start a fleet from a manifest (every database validated first; nothing starts on any issue). A running fleet of the same name and manifest is returned (another manifest under that name is 409); a closed one runs again, adopting the migrations that exist.',
    body: 'FleetManifest',
    success: { status: 202, data: 'FleetStarted', description: 'Started, or the running fleet of that name' },
    errors: ['VALIDATION_ERROR', 'CONFLICT'],
    handler: startFleetHandler,
  },
  {
    method: 'GET',
    url: '/fleets',
    operationId: 'listFleets',
    summary: 'List fleets, newest first.',
    query: [{ name: 'limit', description: 'Most items returned (1–1000)', schema: { type: 'integer' } }],
    success: { status: 200, data: 'FleetList', description: 'Fleets, newest first' },
    errors: ['VALIDATION_ERROR'],
    handler: listFleetsHandler,
  },
  {
    method: 'GET',
    url: '/fleets/:id',
    operationId: 'getFleet',
    summary:
      'Progress of a fleet: counts, running migrations per step, failures with reasons, the wave and its gate, the ETA when the migrations report one. Approve a waiting wave with POST /migrations/{id}/approve.',
    success: { status: 200, data: 'FleetStatus', description: 'Progress and execution status' },
    errors: ['NOT_FOUND', 'CONFLICT'],
    handler: fleetProgressHandler,
  },
  {
    method: 'POST',
    url: '/fleets/:id/cancel',
    operationId: 'cancelFleet',
    summary: 'Cancel a running fleet: its running migrations are cancelled and apply their onFailure policy.',
    success: { status: 202, data: 'CancelRequested', description: 'Cancellation requested' },
    errors: ['NOT_FOUND', 'CONFLICT'],
    handler: cancelFleetHandler,
  },
  {
    method: 'POST',
    url: '/validate',
    operationId: 'validateSpec',
    summary:
      'Dry run: check the spec, the AWS environment (pre-flight: Region, RDS, IAM, KMS) and the backup in S3, and ' +
      'return the exact create requests a migration would send, without creating anything.',
    body: 'MigrationSpec',
    success: {
      status: 200,
      data: 'ValidationReport',
      description: 'The pre-flight and backup report with the requests (ok:false on errors)',
    },
    errors: ['VALIDATION_ERROR'],
    handler: validateHandler,
  },
  {
    method: 'POST',
    url: '/events/rds',
    operationId: 'deliverRdsEvent',
    summary:
      'RDS event notification → the early-wake signal of the migrations concerned: EventBridge events (bearer token) or a signed SNS HTTP(S) subscription (Basic credentials from the subscription URL, text/plain; a SubscriptionConfirmation is confirmed and answered 200).',
    acceptsSns: true,
    body: 'RdsEvent',
    success: { status: 202, data: 'EventDelivery', description: 'The migrations signalled' },
    errors: ['VALIDATION_ERROR'],
    handler: rdsEventHandler,
  },
  {
    method: 'GET',
    url: '/healthz',
    operationId: 'health',
    summary: 'Health: 200 when Temporal is reachable.',
    public: true,
    success: { status: 200, data: 'Health', description: 'Healthy' },
    errors: ['UNAVAILABLE'],
    handler: healthHandler,
  },
  {
    method: 'GET',
    url: '/openapi.json',
    operationId: 'openapi',
    summary: 'This OpenAPI 3.1 document.',
    public: true,
    success: { status: 200, data: 'OpenApiDocument', description: 'The document (not enveloped)' },
    errors: [],
    handler: null,
  },
];
