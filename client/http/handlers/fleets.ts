/**
 * Handlers of `/fleets`: start a fleet from a manifest, read its progress, list fleets, cancel one.
 */
import type { FastifyRequest } from 'fastify';
import { parseManifest } from '../../fleet/manifest';
import { cancelFleet, getFleetProgress, listFleets, startFleet } from '../../fleet/temporal';
import type { Handler } from '../deps';
import { HttpError, ok } from '../envelope';

function idParam(request: FastifyRequest): string {
  return (request.params as { id: string }).id;
}

/** `POST /fleets`: 400 VALIDATION_ERROR naming every `databases[i].<field>` before anything starts. */
export const startFleetHandler: Handler = async (request, reply, deps) => {
  const parsed = parseManifest(request.body, {
    defaultRegion: deps.config.aws.region,
    payloadsEncrypted: deps.config.codecKeys.length > 0,
  });
  if (!parsed.ok) throw new HttpError('VALIDATION_ERROR', 'the fleet manifest is invalid', parsed.issues);
  const started = await startFleet(deps.client, deps.config, request.body);
  void reply.code(202);
  return ok({
    id: started.workflowId,
    created_at: started.createdAt,
    total: started.total,
    attached: started.attached,
  });
};

/** `GET /fleets/:id`. */
export const fleetProgressHandler: Handler = async (request, _reply, deps) =>
  ok(await getFleetProgress(deps.client, idParam(request)));

/** `GET /fleets`. */
export const listFleetsHandler: Handler = async (request, _reply, deps) => {
  const { limit: raw } = request.query as { limit?: unknown };
  const limit = raw === undefined ? 100 : Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
    throw new HttpError('VALIDATION_ERROR', 'invalid list filters', [
      { path: 'limit', message: 'must be a whole number from 1 to 1000' },
    ]);
  }
  return ok(await listFleets(deps.client, limit));
};

/** `POST /fleets/:id/cancel`. */
export const cancelFleetHandler: Handler = async (request, reply, deps) => {
  const id = idParam(request);
  await cancelFleet(deps.client, id);
  void reply.code(202);
  return ok({ id, cancel_requested: true });
};
