/**
 * Auth: every route of the HTTP service except health and the OpenAPI document refuses requests without the
 * exact bearer token. The routes come from the served OpenAPI document (cross-checked against what fastify
 * registered), so a new route cannot escape the test.
 */
import { registeredRoutes } from '../../client/http';
import { uniqueName } from '../helpers/stack';
import { startHttpService, type HttpService } from './helpers/http-service';
import { reportFigures } from './helpers/report';

const TOKEN = 'reliability-token-0123456789abcdef';
const PUBLIC_ROUTES = ['GET /healthz', 'GET /openapi.json'];

/** Authorization headers that must all be refused (undefined: no header). */
const BAD_CREDENTIALS: Record<string, string | undefined> = {
  missing: undefined,
  wrongToken: 'Bearer reliability-token-fedcba9876543210',
  differentCase: `Bearer ${TOKEN.toUpperCase()}`,
  basicWithToken: `Basic ${Buffer.from(`admin:${TOKEN}`).toString('base64')}`,
  basicRawToken: `Basic ${TOKEN}`,
  emptyBearer: 'Bearer ',
  tokenWithoutScheme: TOKEN,
  tokenPrefix: `Bearer ${TOKEN.slice(0, -1)}`,
  tokenWithSuffix: `Bearer ${TOKEN}x`,
  twoTokens: `Bearer ${TOKEN} ${TOKEN}`,
};

describe('authentication of the HTTP service', () => {
  let service: HttpService;

  beforeAll(async () => {
    service = await startHttpService({ taskQueue: uniqueName('tq-auth'), token: TOKEN });
  });

  afterAll(async () => {
    await service?.close();
  });

  test('every route except health and OpenAPI refuses missing, wrong, differently cased and Basic credentials', async () => {
    const began = Date.now();
    const doc = (await (await fetch(`${service.base}/openapi.json`)).json()) as { paths: Record<string, object> };
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops)
        .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
        .map((m) => `${m.toUpperCase()} ${path}`),
    );
    // Every route fastify serves is documented, so listing from the document misses none.
    const registered = registeredRoutes(service.app).map((r) => `${r.method} ${r.url.replace(/:(\w+)/g, '{$1}')}`);
    expect(registered.filter((r) => !documented.includes(r))).toEqual([]);
    expect(documented.length).toBeGreaterThanOrEqual(registered.length);

    const refusals: string[] = [];
    const leaks: string[] = [];
    for (const route of documented) {
      const [method, template] = route.split(' ') as [string, string];
      const path = template.replace(/\{[^}]+\}/g, encodeURIComponent('aurora-migrate:us-east-1:auth-probe'));
      const url = `${service.base}${path}${path === '/' ? '?Action=RestoreDBClusterFromS3' : ''}`;
      for (const [name, authorization] of Object.entries(BAD_CREDENTIALS)) {
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (authorization !== undefined) headers.authorization = authorization;
        const res = await fetch(url, { method, headers, body: method === 'GET' ? undefined : '{}' });
        const body = (await res.json()) as { success?: boolean; error?: { code?: string } };
        if (PUBLIC_ROUTES.includes(route)) {
          if (res.status === 401) leaks.push(`${route} refused ${name} although it is public`);
          continue;
        }
        if (res.status === 401 && body.success === false && body.error?.code === 'UNAUTHORIZED') {
          // The RDS events route also takes the Basic credentials of an SNS subscription URL, and says so.
          const challenge = route === 'POST /events/rds' ? 'Bearer, Basic realm="aurora-migrate"' : 'Bearer';
          expect(res.headers.get('www-authenticate')).toBe(challenge);
          refusals.push(`${route} ${name}`);
        } else {
          leaks.push(`${route} answered ${res.status} to ${name}`);
        }
      }
      // The right token passes authentication on every route (whatever the handler then answers).
      const good = await fetch(url, {
        method,
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: method === 'GET' ? undefined : '{}',
      });
      if (good.status === 401) leaks.push(`${route} refused the right token`);
    }
    const protectedRoutes = documented.filter((r) => !PUBLIC_ROUTES.includes(r));
    reportFigures('auth', {
      routesFromOpenApi: documented.length,
      protectedRoutes: protectedRoutes.length,
      credentialVariants: Object.keys(BAD_CREDENTIALS).length,
      requestsRefused: refusals.length,
      leaks: leaks.length,
      durationMs: Date.now() - began,
    });

    expect(leaks).toEqual([]);
    expect(refusals).toHaveLength(protectedRoutes.length * Object.keys(BAD_CREDENTIALS).length);
    expect(protectedRoutes.length).toBeGreaterThanOrEqual(8);
  });
});
