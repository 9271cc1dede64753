/**
 * Handlers of `/migrations`: start (idempotent), progress, list, cancel, approve, reject, cutover.
 */
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { type ListFilters, listMigrations, MigrationStates, type MigrationState } from '../../list';
import { getProgress } from '../../progress';
import { formatPath } from '../../spec/issue';
import { parseSpec } from '../../spec/parse';
import { approveMigration, cancelMigration, cutover, rejectMigration, startMigration } from '../../temporal';
import { type MigrationStep, MigrationSteps } from '../../../workflows/types';
import type { Handler, HttpDeps } from '../deps';
import { HttpError, ok } from '../envelope';

/** Checks the body as a spec: 400 VALIDATION_ERROR with every `{path, message}`, before anything starts. */
export function specFromBody(request: FastifyRequest, deps: HttpDeps) {
  const parsed = parseSpec(request.body, {
    defaultRegion: deps.config.aws.region,
    payloadsEncrypted: deps.config.codecKeys.length > 0,
  });
  if (!parsed.ok) throw new HttpError('VALIDATION_ERROR', 'the migration spec is invalid', parsed.issues);
  return parsed.spec;
}

/** `POST /migrations` (and `POST /?Action=RestoreDBClusterFromS3`). */
export const startHandler: Handler = async (request, reply, deps) => {
  const spec = specFromBody(request, deps);
  const header = request.headers['idempotency-key'];
  const key = typeof header === 'string' && header.trim() ? header.trim() : undefined;
  if (key !== undefined && key.length > 255) {
    throw new HttpError('VALIDATION_ERROR', 'the Idempotency-Key header must be at most 255 characters');
  }
  // The key is kept with the migration in Temporal (client/idempotency.ts): every replica answers it the same.
  const started = await startMigration(deps.client, deps.config, spec, {
    ifRunning: 'attach',
    ...(key ? { idempotencyKey: key } : {}),
  });
  void reply.code(202);
  return ok({ id: started.workflowId, created_at: started.createdAt });
};

/** `POST /?Action=…`: only RestoreDBClusterFromS3 is served. */
export const actionHandler: Handler = async (request, reply, deps) => {
  const { Action } = request.query as { Action?: unknown };
  if (Action !== 'RestoreDBClusterFromS3') {
    throw new HttpError('VALIDATION_ERROR', 'the only supported Action is RestoreDBClusterFromS3', [
      { path: 'Action', message: 'must be RestoreDBClusterFromS3' },
    ]);
  }
  return startHandler(request, reply, deps);
};

function idParam(request: FastifyRequest): string {
  return (request.params as { id: string }).id;
}

/** `GET /migrations/:id`. */
export const progressHandler: Handler = async (request, _reply, deps) =>
  ok(await getProgress(deps.client, idParam(request), { queryTimeoutMs: 3000 }));

/** `GET /migrations`. */
export const listHandler: Handler = async (request, _reply, deps) => {
  const query = request.query as Record<string, unknown>;
  const filters: ListFilters = {};
  const details = [];
  if (typeof query.step === 'string') {
    if (MigrationSteps.includes(query.step as MigrationStep)) filters.step = query.step as MigrationStep;
    else details.push({ path: 'step', message: `must be one of ${MigrationSteps.join(', ')}` });
  }
  if (typeof query.state === 'string') {
    if (MigrationStates.includes(query.state as MigrationState)) filters.state = query.state as MigrationState;
    else details.push({ path: 'state', message: `must be one of ${MigrationStates.join(', ')}` });
  }
  if (typeof query.cluster === 'string') filters.clusterId = query.cluster;
  if (query.limit !== undefined) {
    const limit = Number(query.limit);
    if (Number.isInteger(limit) && limit >= 1 && limit <= 1000) filters.limit = limit;
    else details.push({ path: 'limit', message: 'must be a whole number from 1 to 1000' });
  }
  if (details.length) throw new HttpError('VALIDATION_ERROR', 'invalid list filters', details);
  return ok(await listMigrations(deps.client, filters));
};

/** `POST /migrations/:id/cancel`. */
export const cancelHandler: Handler = async (request, reply, deps) => {
  const id = idParam(request);
  await cancelMigration(deps.client, id);
  void reply.code(202);
  return ok({ id, cancel_requested: true });
};

const approvalSchema = z.strictObject({
  by: z.string().trim().min(1, { error: 'is required: who decides' }).max(200),
  reason: z.string().max(2000).optional(),
});
const rejectionSchema = approvalSchema.extend({
  reason: z.string().trim().min(1, { error: 'is required: why the migration is rejected' }).max(2000),
});

function decisionInput(request: FastifyRequest, schema: typeof approvalSchema | typeof rejectionSchema) {
  const parsed = schema.safeParse(request.body ?? {}, {
    error: (issue) => (issue.input === undefined ? 'is required' : undefined),
  });
  if (!parsed.success) {
    // An unknown key's issue has the object's path and the key in `keys`: name each key as its own field.
    const details = parsed.error.issues.flatMap((i) =>
      i.code === 'unrecognized_keys'
        ? i.keys.map((key) => ({
            path: formatPath([...i.path, key.length > 64 ? `${key.slice(0, 32)}…` : key]),
            message: 'is not a known field; allowed: by, reason',
          }))
        : [{ path: formatPath(i.path), message: i.message }],
    );
    throw new HttpError('VALIDATION_ERROR', 'invalid decision', details);
  }
  return parsed.data;
}

/** `POST /migrations/:id/approve`. */
export const approveHandler: Handler = async (request, _reply, deps) =>
  ok(await approveMigration(deps.client, idParam(request), decisionInput(request, approvalSchema)));

/** `POST /migrations/:id/reject`. */
export const rejectHandler: Handler = async (request, _reply, deps) =>
  ok(await rejectMigration(deps.client, idParam(request), decisionInput(request, rejectionSchema)));

/**
 * `POST /migrations/:id/cutover`: `{by, reason?}` like an approval; 409 when the migration refuses it (no
 * replication section, automatic cutover, not catching up, already decided, not running).
 */
export const cutoverHandler: Handler = async (request, _reply, deps) =>
  ok(await cutover(deps.client, idParam(request), decisionInput(request, approvalSchema)));
