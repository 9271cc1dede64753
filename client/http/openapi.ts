/**
 * The OpenAPI 3.1 document of the HTTP API, built from the route table and the spec's zod schema, so that the
 * document lists exactly the routes the server registers.
 */
import { migrationSpecJsonSchema } from '../spec/json-schema';
import { MigrationSteps } from '../../workflows/types';
import { ErrorCodes } from './envelope';
import { fleetSchemas } from './openapi-fleets';
import { replicationSchemas } from './openapi-replication';
import { type RouteDef, routes } from './routes';

const obj = (properties: Record<string, unknown>, required: string[] = []) => ({
  type: 'object',
  properties,
  ...(required.length ? { required } : {}),
});
const str = { type: 'string' };
const dateTime = { type: 'string', format: 'date-time' };
/** The restore's predicted end (`RestoreEstimate`). */
const restoreEstimate = obj(
  {
    expectedAt: dateTime,
    expectedSeconds: {
      type: 'integer',
      description: 'Predicted restore duration from the RestoreDBClusterFromS3 call.',
    },
    basis: { type: 'string', enum: ['percent-progress', 'learned-throughput', 'default-throughput'] },
  },
  ['expectedAt', 'expectedSeconds', 'basis'],
);

function dataSchemas(): Record<string, unknown> {
  const { $schema: _s, $id: _i, ...spec } = migrationSpecJsonSchema();
  const decision = obj({ approved: { type: 'boolean' }, by: str, reason: str, at: dateTime }, ['approved', 'by', 'at']);
  return {
    MigrationSpec: spec,
    Started: obj({ id: str, created_at: dateTime }, ['id', 'created_at']),
    ApprovalInput: obj({ by: { type: 'string', minLength: 1 }, reason: str }, ['by']),
    RejectionInput: obj({ by: { type: 'string', minLength: 1 }, reason: { type: 'string', minLength: 1 } }, [
      'by',
      'reason',
    ]),
    ApprovalDecision: decision,
    RdsEvent: {
      type: 'object',
      description:
        'An EventBridge RDS event ({source: "aws.rds", detail-type, region, detail: {SourceIdentifier, SourceType, ' +
        'Message, EventID}}), RDS’s SNS notification message, or a signed SNS message (Notification whose Message ' +
        'is either, SubscriptionConfirmation, UnsubscribeConfirmation; SignatureVersion 1 or 2, SigningCertURL on ' +
        'sns.<region>.amazonaws.com). An SNS-shaped body is accepted only when its signature verifies.',
    },
    EventDelivery: {
      description: '202 for an event: the migrations signalled. 200 for an SNS (un)subscribe confirmation.',
      oneOf: [
        obj({ delivered: { type: 'array', items: str } }, ['delivered']),
        obj({ confirmed: { type: 'boolean' }, topic_arn: str }, ['confirmed', 'topic_arn']),
      ],
    },
    MigrationStatus: obj(
      {
        workflowId: str,
        runId: str,
        status: str,
        step: { type: 'string', enum: [...MigrationSteps] },
        startedAt: dateTime,
        closedAt: dateTime,
        region: str,
        clusterId: str,
        validationPercent: { type: 'number' },
        live: { type: 'boolean' },
        eta: restoreEstimate,
        firstEta: restoreEstimate,
        restore: obj(
          {
            actualSeconds: { type: 'integer' },
            backupBytes: { type: 'integer' },
            firstEstimate: restoreEstimate,
            lastEstimate: restoreEstimate,
            lastEstimateErrorSeconds: { type: 'integer' },
          },
          ['actualSeconds', 'backupBytes'],
        ),
        replication: { $ref: '#/components/schemas/ReplicationProgress' },
        cutover: { $ref: '#/components/schemas/CutoverReport' },
      },
      ['workflowId', 'status', 'step', 'startedAt'],
    ),
    MigrationList: {
      type: 'array',
      items: obj(
        {
          workflowId: str,
          runId: str,
          status: str,
          step: str,
          clusterId: str,
          region: str,
          sourceBucket: str,
          instanceIds: { type: 'array', items: str },
          startedAt: dateTime,
          closedAt: dateTime,
        },
        ['workflowId', 'status', 'startedAt'],
      ),
    },
    CancelRequested: obj({ id: str, cancel_requested: { type: 'boolean' } }, ['id', 'cancel_requested']),
    Finding: obj(
      {
        code: str,
        severity: { type: 'string', enum: ['error', 'warning', 'info'] },
        path: {
          type: 'string',
          description: 'The S3 object (backup findings) or the spec field (pre-flight findings)',
        },
        message: str,
        fix: str,
      },
      ['code', 'severity', 'message', 'fix'],
    ),
    ValidationReport: obj(
      {
        ok: { type: 'boolean', description: 'False when the pre-flight or the backup has an error finding' },
        backupRead: { type: 'boolean', description: 'False when the pre-flight refused the Region: S3 was not read' },
        findings: { type: 'array', items: { $ref: '#/components/schemas/Finding' }, description: 'The backup’s' },
        preflight: obj(
          {
            ok: { type: 'boolean' },
            regionMismatch: { type: 'boolean' },
            identifierConflict: { type: 'boolean' },
            findings: {
              type: 'array',
              items: { $ref: '#/components/schemas/Finding' },
              description: 'The AWS checks, then, with a replication section, the source MySQL’s (codes SOURCE_*)',
            },
            requests: obj(
              {
                restoreCluster: {
                  type: 'object',
                  description:
                    'The exact RestoreDBClusterFromS3 input the migration sends (MasterUserPassword "<redacted>")',
                },
                createInstances: {
                  type: 'array',
                  items: { type: 'object' },
                  description: 'The exact CreateDBInstance inputs, writer first',
                },
              },
              ['restoreCluster', 'createInstances'],
            ),
          },
          ['ok', 'regionMismatch', 'identifierConflict', 'findings', 'requests'],
        ),
      },
      ['ok', 'findings', 'preflight'],
    ),
    ...fleetSchemas(),
    ...replicationSchemas(),
    Health: obj({ status: str, temporal: str, namespace: str }, ['status']),
    OpenApiDocument: { type: 'object' },
    Error: obj(
      {
        success: { const: false },
        error: obj(
          {
            code: { type: 'string', enum: Object.keys(ErrorCodes) },
            message: str,
            details: { type: 'array', items: obj({ path: str, message: str }, ['path', 'message']) },
            request_id: str,
          },
          ['code', 'message', 'request_id'],
        ),
      },
      ['success', 'error'],
    ),
  };
}

/** `/migrations/:id` → `/migrations/{id}`. */
export function openApiPath(url: string): string {
  return url.replace(/:(\w+)/g, '{$1}');
}

function errorResponse(description: string) {
  return { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
}

function operation(route: RouteDef): Record<string, unknown> {
  const ref = { $ref: `#/components/schemas/${route.success.data}` };
  const successSchema =
    route.handler === null ? ref : obj({ success: { const: true }, data: ref }, ['success', 'data']);
  const responses: Record<string, unknown> = {
    [route.success.status]: {
      description: route.success.description,
      content: { 'application/json': { schema: successSchema } },
    },
  };
  for (const code of route.errors) responses[ErrorCodes[code]] = errorResponse(code);
  if (!route.public) responses['401'] = errorResponse('UNAUTHORIZED: missing or unknown bearer token');
  if (route.acceptsSns) {
    const accepted = responses[route.success.status] as { content: unknown };
    responses['200'] = { description: 'An SNS (un)subscribe confirmation, handled', content: accepted.content };
    responses['503'] = errorResponse('UNAVAILABLE: the SNS certificate or SubscribeURL could not be fetched');
  }
  if (route.body) {
    responses['413'] = errorResponse('PAYLOAD_TOO_LARGE');
    responses['415'] = errorResponse('UNSUPPORTED_MEDIA_TYPE: send application/json');
  }
  responses['500'] = errorResponse('INTERNAL');
  const parameters: unknown[] = [...route.url.matchAll(/:(\w+)/g)].map((m) => ({
    name: m[1],
    in: 'path',
    required: true,
    description: route.url.startsWith('/fleets')
      ? 'Fleet (workflow) ID, e.g. aurora-migrate-fleet:nightly-orders'
      : 'Migration (workflow) ID, e.g. aurora-migrate:us-east-1:orders-aurora',
    schema: str,
  }));
  for (const q of route.query ?? []) {
    parameters.push({
      name: q.name,
      in: 'query',
      required: q.required ?? false,
      description: q.description,
      schema: q.schema,
    });
  }
  if (route.operationId === 'startMigration' || route.operationId === 'restoreDBClusterFromS3Action') {
    parameters.push({
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      description:
        'Kept (as its sha256) with the migration in Temporal: the same key and body return the same id and created_at on every replica, also after the migration closed; the same key with a different body is 409.',
      schema: { type: 'string', minLength: 1, maxLength: 255 },
    });
  }
  return {
    operationId: route.operationId,
    summary: route.summary,
    ...(route.public ? { security: [] } : route.acceptsSns ? { security: [{ bearer: [] }, { snsBasic: [] }] } : {}),
    ...(parameters.length ? { parameters } : {}),
    ...(route.body
      ? {
          requestBody: {
            required: route.body === 'MigrationSpec' || route.body === 'RdsEvent' || route.body === 'FleetManifest',
            content: {
              'application/json': { schema: { $ref: `#/components/schemas/${route.body}` } },
              // SNS HTTP(S) subscriptions post their JSON as text/plain; charset=UTF-8.
              ...(route.acceptsSns ? { 'text/plain': { schema: { $ref: `#/components/schemas/${route.body}` } } } : {}),
            },
          },
        }
      : {}),
    responses,
  };
}

/** The OpenAPI 3.1 document of every route in the route table. */
export function buildOpenApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = openApiPath(route.url);
    paths[path] = { ...paths[path], [route.method.toLowerCase()]: operation(route) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'aurora-migrate',
      version: '0.1.0',
      description: 'Start and steer MySQL → Aurora MySQL migrations from XtraBackup backups in S3.',
    },
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer' },
        snsBasic: {
          type: 'http',
          scheme: 'basic',
          description: 'POST /events/rds only: AURORA_MIGRATE_SNS_BASIC_AUTH, from the SNS subscription URL',
        },
      },
      schemas: dataSchemas(),
    },
    security: [{ bearer: [] }],
    paths,
  };
}
