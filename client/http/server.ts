/**
 * The HTTP trigger service on fastify: routes from the route table, bearer-token authentication, request IDs,
 * the envelope for every answer (including fastify's own errors), and JSON logs that never hold a secret.
 */
import { randomUUID } from 'node:crypto';
import type { Agent } from 'node:https';
import Fastify, { LogController, type FastifyError, type FastifyInstance, type FastifyRequest } from 'fastify';
import type { Client } from '@temporalio/client';
import type { AppConfig } from '../../config/app-config';
import type { TemporalTarget } from '../../config/temporal-connection';
import {
  InvalidSpecError,
  MigrationConflictError,
  MigrationNotFoundError,
  MigrationStateError,
  RdsEventParseError,
} from '../errors';
import { ListFilterError } from '../list';
import { createBasicChecker, createTokenChecker, isBasicScheme } from './auth';
import { type ErrorCode, ErrorCodes, failure, HttpError } from './envelope';
import { buildOpenApiDocument } from './openapi';
import { type RouteDef, routes } from './routes';
import { createSnsVerifier } from './sns/verifier';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Served without a bearer token. */
    isPublic?: boolean;
    /** Also accepts SNS's Basic credentials. */
    acceptsSns?: boolean;
  }
}

/** Logging of the HTTP service: false for none, or the level and an optional destination (default stdout). */
export type HttpLoggerOptions = false | { level?: string; stream?: { write(line: string): void } };

/** Inputs of `buildHttpServer`. */
export interface HttpServerOptions {
  client: Client;
  config: AppConfig;
  target: TemporalTarget;
  /** @default { level: 'info' } */
  logger?: HttpLoggerOptions;
  /**
   * HTTPS agent for SNS certificate and SubscribeURL requests. Leave unset in production (system DNS and CAs);
   * tests route it to a local server. Only SNS hosts are ever requested, whatever the agent.
   */
  snsAgent?: Agent;
}

/** Paths the logger censors wherever they appear, so that a token or password never reaches a log line. */
const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["idempotency-key"]',
  'headers.authorization',
  'body',
  'req.body',
  '*.MasterUserPassword',
  '*.restore.MasterUserPassword',
  '*.*.restore.MasterUserPassword',
  '*.replication.source.password',
  '*.*.replication.source.password',
];

const registries = new WeakMap<FastifyInstance, Array<{ method: string; url: string }>>();

/** The routes fastify actually registered on `app` (recorded by an onRoute hook), for tests and diagnostics. */
export function registeredRoutes(app: FastifyInstance): Array<{ method: string; url: string }> {
  return [...(registries.get(app) ?? [])];
}

/** Builds (does not start) the HTTP service; call `listen` on the result. */
export function buildHttpServer(options: HttpServerOptions): FastifyInstance {
  const { client, config, target } = options;
  const loggerOption = options.logger ?? { level: 'info' };
  const app = Fastify({
    logger:
      loggerOption === false ? false : { ...loggerOption, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } },
    bodyLimit: config.http.bodyLimit,
    exposeHeadRoutes: false,
    requestIdHeader: false,
    logController: new LogController({ requestIdLogLabel: 'request_id' }),
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.:-]{1,128}$/.test(given) ? given : randomUUID();
    },
  });
  app.removeContentTypeParser('text/plain');
  const registry: Array<{ method: string; url: string }> = [];
  registries.set(app, registry);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) registry.push({ method, url: route.url });
  });
  const sns = createSnsVerifier({
    topicArns: config.http.snsTopicArns,
    ...(options.snsAgent ? { agent: options.snsAgent } : {}),
  });
  const deps = { client, config, target, sns };
  const isAuthorized = createTokenChecker(config.http.tokens);
  const isSnsAuthorized = createBasicChecker(config.http.snsBasicAuth);
  const openApi = buildOpenApiDocument();

  app.addHook('onRequest', async (request, reply) => {
    void reply.header('x-request-id', request.id);
    const { isPublic, acceptsSns } = request.routeOptions.config;
    if (isPublic) return;
    const authorization = request.headers.authorization;
    if (acceptsSns && isBasicScheme(authorization) ? isSnsAuthorized(authorization) : isAuthorized(authorization)) {
      return;
    }
    // SNS sends the credentials of its subscription URL only after a Basic challenge.
    void reply.header('www-authenticate', acceptsSns ? ['Bearer', 'Basic realm="aurora-migrate"'] : 'Bearer');
    throw new HttpError('UNAUTHORIZED', 'a valid bearer token is required (Authorization: Bearer <token>)');
  });

  const register = (scope: FastifyInstance, route: RouteDef) => {
    const handler = route.handler;
    scope.route({
      method: route.method,
      url: route.url,
      config: { isPublic: route.public ?? false, acceptsSns: route.acceptsSns ?? false },
      handler: handler ? (request, reply) => handler(request, reply, deps) : () => Promise.resolve(openApi),
    });
  };
  for (const route of routes) {
    if (!route.acceptsSns) register(app, route);
    // SNS posts JSON as text/plain: accepted on this route only (an encapsulated scope), parsed as JSON.
    else
      void app.register((scope, _opts, done) => {
        scope.addContentTypeParser('text/plain', { parseAs: 'string' }, parseJsonText);
        register(scope, route);
        done();
      });
  }

  app.setNotFoundHandler((request) => {
    return Promise.reject(new HttpError('NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0] ?? ''}`));
  });

  app.setErrorHandler(async (error: FastifyError | Error, request, reply) => {
    const { code, message, details } = classify(error, request);
    const status = ErrorCodes[code];
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code }, message);
    return reply.code(status).send(failure(code, message, request.id, details));
  });
  return app;
}

function parseJsonText(
  _request: FastifyRequest,
  body: string | Buffer,
  done: (err: Error | null, body?: unknown) => void,
) {
  try {
    done(null, JSON.parse(body.toString()));
  } catch {
    done(new HttpError('VALIDATION_ERROR', 'the body is not valid JSON'));
  }
}

function classify(error: Error, request: FastifyRequest) {
  if (error instanceof HttpError) return { code: error.code, message: error.message, details: error.details };
  if (error instanceof InvalidSpecError) {
    return { code: 'VALIDATION_ERROR' as const, message: 'the migration spec is invalid', details: error.issues };
  }
  if (error instanceof RdsEventParseError) {
    const details = [{ path: error.path, message: error.reason }];
    return { code: 'VALIDATION_ERROR' as const, message: `the RDS event is invalid: ${error.message}`, details };
  }
  if (error instanceof ListFilterError) {
    const details = [{ path: error.filter, message: error.reason }];
    return { code: 'VALIDATION_ERROR' as const, message: error.message, details };
  }
  if (error instanceof MigrationNotFoundError) return { code: 'NOT_FOUND' as const, message: error.message };
  if (error instanceof MigrationConflictError || error instanceof MigrationStateError) {
    return { code: 'CONFLICT' as const, message: error.message };
  }
  const fastifyError = error as FastifyError;
  const fromFramework: Record<string, [ErrorCode, string]> = {
    FST_ERR_CTP_BODY_TOO_LARGE: ['PAYLOAD_TOO_LARGE', 'the request body is larger than the limit'],
    FST_ERR_CTP_INVALID_MEDIA_TYPE: ['UNSUPPORTED_MEDIA_TYPE', 'send the body as application/json'],
    FST_ERR_CTP_INVALID_CONTENT_LENGTH: ['VALIDATION_ERROR', 'the Content-Length does not match the body'],
    FST_ERR_CTP_EMPTY_JSON_BODY: ['VALIDATION_ERROR', 'the JSON body is empty'],
  };
  const known = fastifyError.code ? fromFramework[fastifyError.code] : undefined;
  if (known) return { code: known[0], message: known[1] };
  if (fastifyError.statusCode === 413) return { code: 'PAYLOAD_TOO_LARGE' as const, message: 'the body is too large' };
  if (fastifyError.statusCode === 415) return { code: 'UNSUPPORTED_MEDIA_TYPE' as const, message: 'send JSON' };
  if (fastifyError.statusCode === 400 && request.body === undefined) {
    return { code: 'VALIDATION_ERROR' as const, message: 'the body is not valid JSON' };
  }
  return { code: 'INTERNAL' as const, message: 'internal error; quote the request_id when reporting it' };
}
