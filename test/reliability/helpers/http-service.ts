/**
 * The HTTP service as the reliability tests run it: a real server on 127.0.0.1, port 0, over a real Temporal
 * client with the test codec, accepting one bearer token and starting migrations on a task queue of the test's.
 */
import type { Client } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { buildHttpServer } from '../../../client/http';
import { testStack } from '../../helpers/stack';
import { connectTestClient, testAppConfig } from './workers';

/** How to start the service. */
export interface HttpServiceOptions {
  /** The task queue migrations started through the service go to. */
  taskQueue: string;
  /** The one bearer token the service accepts. */
  token: string;
  /** Keep the service's log lines, from this level up, in `logs` (default: no logging). */
  logLevel?: 'info' | 'trace';
  /** When given, closing terminates every workflow on the task queue with this reason (should one have started). */
  terminateReason?: string;
}

/** A listening service and the client it uses. */
export interface HttpService {
  client: Client;
  app: FastifyInstance;
  /** The address it listens on, e.g. `http://127.0.0.1:41234`. */
  base: string;
  /** Its log lines (JSON), when a log level was given. */
  logs: string[];
  /** Terminates leftover workflows (if asked to), closes the server, then the client's connection. */
  close(): Promise<void>;
}

/** Connects a test client and starts the HTTP service for `options.taskQueue` on 127.0.0.1, port 0. */
export async function startHttpService(options: HttpServiceOptions): Promise<HttpService> {
  const logs: string[] = [];
  const client = await connectTestClient();
  const app = buildHttpServer({
    client,
    config: testAppConfig(options.taskQueue, { AURORA_MIGRATE_HTTP_TOKENS: options.token }),
    target: {
      connectionOptions: { address: testStack().temporal.address },
      namespace: testStack().temporal.namespace,
    },
    logger: options.logLevel ? { level: options.logLevel, stream: { write: (line) => void logs.push(line) } } : false,
  });
  const close = async (): Promise<void> => {
    if (options.terminateReason !== undefined) await terminateAll(client, options.taskQueue, options.terminateReason);
    await app.close();
    await client.connection.close();
  };
  try {
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    return { client, app, base, logs, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/** Terminates every workflow on `taskQueue`, ignoring those that already closed. */
async function terminateAll(client: Client, taskQueue: string, reason: string): Promise<void> {
  for await (const wf of client.workflow.list({ query: `TaskQueue = "${taskQueue}"` })) {
    await client.workflow
      .getHandle(wf.workflowId)
      .terminate(reason)
      .catch(() => undefined);
  }
}
