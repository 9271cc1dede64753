/**
 * Handlers outside `/migrations`: the dry run, RDS event notifications, health and the OpenAPI document.
 */
import { parseRdsEvent, sendRdsEvent } from '../../rds-events';
import { validateSpecBackup } from '../../validation';
import type { Handler } from '../deps';
import { HttpError, ok } from '../envelope';
import { specFromBody } from './migrations';

/** `POST /validate`: the report, `ok:false` when the backup has errors (still 200: the dry run itself worked). */
export const validateHandler: Handler = async (request, _reply, deps) => {
  const spec = specFromBody(request, deps);
  return ok(await validateSpecBackup(deps.config, spec));
};

/** `POST /events/rds`: EventBridge (or SNS) RDS events → the `rdsEvent` signal of the migrations concerned. */
export const rdsEventHandler: Handler = async (request, reply, deps) => {
  const parsed = parseRdsEvent(request.body);
  const region = parsed.region ?? deps.config.aws.region;
  if (!region) {
    throw new HttpError('VALIDATION_ERROR', 'the event names no region and AWS_REGION is not set', [
      { path: 'region', message: 'is required' },
    ]);
  }
  const delivered = await sendRdsEvent(deps.client, parsed.signal, region);
  void reply.code(202);
  return ok({ delivered });
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
