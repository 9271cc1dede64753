/**
 * Helpers of the HTTP tests: a real server on 127.0.0.1:0 over a real Temporal client, and a fetch wrapper.
 */
import type { FastifyInstance } from 'fastify';
import type { Client } from '@temporalio/client';
import type { AppConfig } from '../../config/app-config';
import { buildHttpServer, type HttpServerOptions } from '../../client/http';
import { testStack } from '../helpers/stack';

/** The bearer token the test servers accept. */
export const TOKEN = 'test-token-0123456789abcdef';

/** A listening test server. */
export interface TestServer {
  app: FastifyInstance;
  base: string;
  logs: string[];
  close(): Promise<void>;
}

/** Starts the HTTP service for `client` with `config` (tokens and a 16 KiB body limit added). */
export async function startTestServer(
  client: Client,
  config: AppConfig,
  extra: Pick<HttpServerOptions, 'snsAgent'> = {},
): Promise<TestServer> {
  const logs: string[] = [];
  const app = buildHttpServer({
    client,
    config: { ...config, http: { ...config.http, tokens: [TOKEN], bodyLimit: 16 * 1024 } },
    target: { connectionOptions: { address: testStack().temporal.address }, namespace: testStack().temporal.namespace },
    logger: { level: 'info', stream: { write: (line) => void logs.push(line) } },
    ...extra,
  });
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, base, logs, close: () => app.close() };
}

/** A parsed response. */
export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  body: {
    success: boolean;
    data?: Record<string, unknown> & Array<Record<string, unknown>>;
    error?: { code: string; message: string; details?: Array<{ path: string; message: string }>; request_id: string };
  };
}

/** Sends a request (JSON body, bearer token unless `token: null`). */
export async function call(
  server: Pick<TestServer, 'base'>,
  method: string,
  path: string,
  options: { body?: unknown; raw?: string; token?: string | null; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== null) headers.authorization = `Bearer ${options.token ?? TOKEN}`;
  let body: string | undefined = options.raw;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const response = await fetch(`${server.base}${path}`, { method, headers, body });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, body: JSON.parse(text) as Answer['body'] };
}
