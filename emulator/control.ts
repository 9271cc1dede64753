/**
 * The JSON control endpoint under `/_emulator/`: fault and outcome rules, the inventory, the call log, timings,
 * the account's rate limit, reset, and whether a candidate is a cluster's master password. It never exposes a
 * password: none is stored, only a one-way verifier.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatorContext } from './context';
import { ControlInputError } from './control-input';
import { clusterPhase, instancePhase } from './lifecycle';
import { matchesVerifier } from './master-password';
import type { TagRecord } from './records';
import { RateLimitError, parseRateLimit, type RateLimitSettings } from './rate-limit';
import { TimingsError, parseTimings, type EmulatorTimings } from './timings';

/** What `POST /_emulator/reset` restores. */
export interface ControlDefaults {
  timings: EmulatorTimings;
  rateLimit: RateLimitSettings;
}

/** Serves one control request whose body has been read; `defaults` is what reset restores. */
export function serveControl(
  ctx: EmulatorContext,
  defaults: ControlDefaults,
  req: IncomingMessage,
  res: ServerResponse,
  body: string,
): void {
  const url = new URL(req.url ?? '/', 'http://emulator');
  const path = url.pathname.replace(/\/+$/, '');
  const method = req.method ?? 'GET';
  try {
    const route = `${method} ${path}`;
    if (route === 'POST /_emulator/rules') return send(res, 201, { id: ctx.rules.add(parseJson(body)).id });
    if (route === 'GET /_emulator/rules') return send(res, 200, { rules: ctx.rules.list() });
    if (route === 'DELETE /_emulator/rules') {
      ctx.rules.clear();
      return send(res, 200, {});
    }
    const ruleId = /^\/_emulator\/rules\/([^/]+)$/.exec(path)?.[1];
    if (method === 'DELETE' && ruleId !== undefined) {
      return ctx.rules.remove(decodeURIComponent(ruleId))
        ? send(res, 200, {})
        : send(res, 404, { error: `no rule with id ${ruleId}` });
    }
    if (path.startsWith('/_emulator/catalogue')) return serveCatalogue(ctx, method, path, body, res);
    if (route === 'GET /_emulator/inventory') return send(res, 200, inventory(ctx));
    const checked = /^\/_emulator\/clusters\/([^/]+)\/master-password-check$/.exec(path)?.[1];
    if (method === 'POST' && checked !== undefined)
      return checkMasterPassword(ctx, decodeURIComponent(checked), body, res);
    if (route === 'GET /_emulator/calls') {
      return send(res, 200, ctx.calls.snapshot(url.searchParams.get('action') ?? undefined));
    }
    if (route === 'DELETE /_emulator/calls') {
      ctx.calls.reset();
      return send(res, 200, {});
    }
    if (route === 'GET /_emulator/timings') return send(res, 200, ctx.timings);
    if (route === 'PUT /_emulator/timings') {
      ctx.timings = { ...ctx.timings, ...parseTimings(parseJson(body), 'body') };
      return send(res, 200, ctx.timings);
    }
    if (route === 'GET /_emulator/rate-limit') return send(res, 200, rateLimitBody(ctx));
    if (route === 'PUT /_emulator/rate-limit') {
      ctx.rateLimit.configure(parseRateLimit(parseJson(body), 'body', ctx.rateLimit.settings));
      return send(res, 200, rateLimitBody(ctx));
    }
    if (route === 'GET /_emulator/cluster-servers') {
      return send(res, 200, { enabled: ctx.clusterServers !== undefined, servers: ctx.clusterServers?.list() ?? [] });
    }
    if (route === 'POST /_emulator/reset') {
      // Stopping is asynchronous; the servers go right after the response (their clusters are forgotten now).
      ctx.clusterServers?.removeAll(ctx.store.allClusters()).catch((err: unknown) => {
        console.error('emulator: stopping cluster servers on reset failed:', err);
      });
      ctx.store.clear();
      ctx.rules.clear();
      ctx.calls.reset();
      ctx.catalogue.reset();
      ctx.timings = { ...defaults.timings };
      ctx.rateLimit.configure(defaults.rateLimit);
      return send(res, 200, {});
    }
    return send(res, 404, { error: `no control route ${method} ${path}` });
  } catch (err) {
    if (err instanceof ControlInputError || err instanceof TimingsError || err instanceof RateLimitError)
      return send(res, 400, { error: err.message });
    console.error('emulator: control request failed:', err);
    return send(res, 500, { error: 'internal error' });
  }
}

/**
 * `POST /_emulator/clusters/<id>/master-password-check` with `{"password": "…"}`: whether the cluster's master
 * password is that one (`{"matches": true|false}`), as logging in would tell; 404 for no such cluster, 409 when
 * RDS manages the password.
 */
function checkMasterPassword(ctx: EmulatorContext, clusterId: string, body: string, res: ServerResponse): void {
  const { password } = parseJson(body) as { password?: unknown };
  if (typeof password !== 'string') throw new ControlInputError('password must be a string', 'password');
  const cluster = ctx.store.cluster(clusterId.toLowerCase());
  if (!cluster) return send(res, 404, { error: `no cluster ${clusterId}` });
  if (!cluster.masterPasswordVerifier) {
    return send(res, 409, { error: `cluster ${clusterId} has no given master password (ManageMasterUserPassword)` });
  }
  return send(res, 200, { matches: matchesVerifier(cluster.masterPasswordVerifier, password) });
}

function rateLimitBody(ctx: EmulatorContext): RateLimitSettings & { available: number } {
  return { ...ctx.rateLimit.settings, available: Math.floor(ctx.rateLimit.available()) };
}

/**
 * `GET /_emulator/catalogue`, `PUT /_emulator/catalogue/quotas`, `POST /_emulator/catalogue/<kind>` (add or
 * replace by name) and `DELETE /_emulator/catalogue/<kind>/<name>`; kinds are subnet-groups,
 * cluster-parameter-groups, parameter-groups, option-groups (and engine-versions, delete only).
 */
function serveCatalogue(ctx: EmulatorContext, method: string, path: string, body: string, res: ServerResponse): void {
  const [kind, name] = path
    .slice('/_emulator/catalogue'.length)
    .split('/')
    .filter((p) => p !== '')
    .map(decodeURIComponent);
  if (method === 'GET' && kind === undefined) return send(res, 200, ctx.catalogue.data);
  if (method === 'PUT' && kind === 'quotas' && name === undefined) {
    return send(res, 200, ctx.catalogue.setQuotas(parseJson(body)));
  }
  if (method === 'POST' && kind !== undefined && name === undefined) {
    return send(res, 201, ctx.catalogue.add(kind, parseJson(body)));
  }
  if (method === 'DELETE' && kind !== undefined && name !== undefined) {
    return ctx.catalogue.remove(kind, name)
      ? send(res, 200, {})
      : send(res, 404, { error: `no ${kind} entry named ${name}` });
  }
  return send(res, 404, { error: `no control route ${method} ${path}` });
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body === '' ? '{}' : body);
  } catch {
    throw new ControlInputError('the body is not valid JSON', 'body');
  }
}

function send(res: ServerResponse, status: number, value: unknown): void {
  const text = JSON.stringify(value);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function tagObject(tags: TagRecord[]): Record<string, string> {
  return Object.fromEntries(tags.map((t) => [t.key, t.value]));
}

/** What exists now: clusters and instances with their current status; tags as a key → value object. */
function inventory(ctx: EmulatorContext): { clusters: unknown[]; instances: unknown[] } {
  const now = Date.now();
  return {
    clusters: ctx.store.allClusters(now).map((c) => {
      const phase = clusterPhase(c, now);
      return {
        id: c.id,
        arn: c.arn,
        status: phase.status,
        percentProgress: phase.percentProgress,
        engine: c.engine,
        engineVersion: c.engineVersion,
        sourceEngineVersion: c.sourceEngineVersion,
        masterUsername: c.masterUsername,
        s3BucketName: c.s3BucketName,
        s3Prefix: c.s3Prefix,
        storageEncrypted: c.storageEncrypted,
        deletionProtection: c.deletionProtection,
        tags: tagObject(c.tags),
        members: c.memberIds,
        finalStatus: c.failure?.status,
        createdAt: new Date(c.createdAt).toISOString(),
      };
    }),
    instances: ctx.store.allInstances(now).map((i) => ({
      id: i.id,
      arn: i.arn,
      clusterId: i.clusterId,
      status: instancePhase(i, now).status,
      instanceClass: i.instanceClass,
      promotionTier: i.promotionTier,
      tags: tagObject(i.tags),
      finalStatus: i.failure?.status,
      createdAt: new Date(i.createdAt).toISOString(),
    })),
  };
}
