/**
 * Handlers outside `/migrations`: the dry run and health (RDS events are in rds-events.ts).
 */
import { dryRun } from '../../validation';
import type { Handler } from '../deps';
import { HttpError, ok } from '../envelope';
import { specFromBody } from './migrations';

/**
 * `POST /validate`: the dry run's report (pre-flight findings and requests, then the backup's), `ok:false` when
 * either has errors (still 200: the dry run itself worked).
 */
export const validateHandler: Handler = async (request, _reply, deps) => {
  const spec = specFromBody(request, deps);
  return ok(await dryRun(deps.config, spec));
};

/** `GET /healthz`: 200 when Temporal answers within 3 s, else 503 UNAVAILABLE. */
export const healthHandler: Handler = async (_request, _reply, deps) => {
  try {
    await deps.client.withDeadline(Date.now() + 3000, () => deps.client.workflowService.getSystemInfo({}));
  } catch (err) {
    throw new HttpError('UNAVAILABLE', 'Temporal is not reachable', undefined, { cause: err });
  }
  return ok({ status: 'ok', temporal: 'reachable', namespace: deps.target.namespace });
};
