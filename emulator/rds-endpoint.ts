/**
 * The RDS Query endpoint: parses the form, applies any fault rule, dispatches the action and writes the XML
 * envelope with an `x-amzn-RequestId` header (the SDK takes `$metadata.requestId` only from that header).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { ACTIONS } from './actions';
import { type CallEntry, RECORDED_ACTIONS, requestRecord } from './calls';
import type { EmulatorContext } from './context';
import { RdsFault } from './errors';
import { parseRdsArn } from './naming';
import { Params, errorXml, parseForm, successXml } from './query-protocol';
import type { CallTarget, RuleFault } from './rules';

/** Serves one RDS request whose body has been read. */
export async function serveRds(ctx: EmulatorContext, req: IncomingMessage, res: ServerResponse, body: string) {
  const requestId = randomUUID();
  const query = (req.url ?? '/').split('?')[1] ?? '';
  const params = new Params({ ...parseForm(query), ...parseForm(body) });
  const action = params.optString('Action');
  const handler = action === undefined ? undefined : ACTIONS[action];
  const target = callTarget(action ?? '', params);
  // RDS meters every call of the account and Region before it looks at it; a throttled call does nothing.
  const throttled = !ctx.rateLimit.take();
  const fault = handler && !throttled ? ctx.rules.pickFault(target) : undefined;
  const log = (status: number): void => {
    const entry: CallEntry = { at: new Date().toISOString(), ...target, status, fault: fault?.type };
    if (throttled) entry.throttled = true;
    if (RECORDED_ACTIONS.has(target.action)) entry.request = requestRecord(params.tree);
    if (entry.clusterId === undefined) delete entry.clusterId;
    if (entry.instanceId === undefined) delete entry.instanceId;
    if (entry.clusterIds === undefined) delete entry.clusterIds;
    if (entry.instanceIds === undefined) delete entry.instanceIds;
    if (entry.fault === undefined) delete entry.fault;
    ctx.calls.record(entry);
  };
  if (fault?.latencyMs) await sleep(fault.latencyMs);
  if (fault?.type === 'drop') {
    log(0);
    req.socket.destroy();
    return;
  }
  let status = 200;
  let xml: string;
  try {
    if (throttled) throw new RdsFault('Throttling', 'Rate exceeded', 400);
    const injected = fault && injectedError(fault);
    if (injected) throw injected;
    if (action === undefined) throw new RdsFault('MissingAction', 'The request must contain the parameter Action');
    if (!handler) throw new RdsFault('InvalidAction', `The action ${action} is not valid for this web service.`);
    xml = successXml(action, await handler(ctx, params), requestId);
  } catch (err) {
    const rdsFault = err instanceof RdsFault ? err : internalFailure(err);
    status = rdsFault.httpStatus;
    xml = errorXml(rdsFault, requestId);
  }
  if (fault?.type === 'apply-then-drop') {
    log(0);
    req.socket.destroy();
    return;
  }
  log(status);
  res.writeHead(status, {
    'Content-Type': 'text/xml',
    'Content-Length': Buffer.byteLength(xml),
    'x-amzn-RequestId': requestId,
  });
  res.end(xml);
}

/** The action and resource ids a call concerns, for rule matching and the call log. */
function callTarget(action: string, params: Params): CallTarget {
  const resource = parseRdsArn(params.optString('ResourceName') ?? '');
  const clusterIds = filterValues(params, 'db-cluster-id');
  const instanceIds = filterValues(params, 'db-instance-id');
  return {
    action,
    clusterId:
      params.optString('DBClusterIdentifier')?.toLowerCase() ??
      (resource?.kind === 'cluster' ? resource.id : undefined) ??
      (clusterIds?.length === 1 ? clusterIds[0] : undefined),
    instanceId:
      params.optString('DBInstanceIdentifier')?.toLowerCase() ??
      (resource?.kind === 'db' ? resource.id : undefined) ??
      (instanceIds?.length === 1 ? instanceIds[0] : undefined),
    clusterIds,
    instanceIds,
  };
}

/** The lower-case identifiers (or ARNs' ids) a filter names, or undefined without that filter. A malformed
 * filter is left to the action's own validation. */
function filterValues(params: Params, name: string): string[] | undefined {
  try {
    const values = params
      .structList('Filters', 'Filter')
      .filter((f) => f.optString('Name') === name)
      .flatMap((f) => f.stringList('Values', 'Value'));
    return values.length ? values.map((v) => parseRdsArn(v)?.id ?? v.toLowerCase()) : undefined;
  } catch {
    return undefined;
  }
}

function injectedError(fault: RuleFault): RdsFault | undefined {
  switch (fault.type) {
    case 'throttle':
      return new RdsFault('Throttling', fault.message ?? 'Rate exceeded', fault.httpStatus ?? 400);
    case 'internal':
      return new RdsFault(
        'InternalFailure',
        fault.message ?? 'An internal error has occurred.',
        fault.httpStatus ?? 500,
      );
    case 'error':
      return new RdsFault(fault.code ?? 'InternalFailure', fault.message ?? '', fault.httpStatus ?? 400);
    default:
      return undefined;
  }
}

function internalFailure(err: unknown): RdsFault {
  console.error('emulator: unexpected error while serving an RDS call:', err);
  return new RdsFault('InternalFailure', 'An internal error has occurred.', 500);
}
