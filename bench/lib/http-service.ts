/** Our HTTP service (client/http), listening in this process on a free loopback port. */
import type { FastifyInstance } from 'fastify';
import { buildHttpServer } from '../../client/http';
import { configFor, type BenchStack } from './bench-stack';

/** A listening HTTP service. */
export interface RunningHttpService {
  url: string;
  token: string;
  close(): Promise<void>;
}

/** Starts the service for migrations on `taskQueue`, without request logs. */
export async function startHttpService(stack: BenchStack, taskQueue: string): Promise<RunningHttpService> {
  const app: FastifyInstance = buildHttpServer({
    client: stack.client,
    config: configFor(stack, taskQueue),
    target: stack.target,
    logger: false,
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { url, token: stack.httpToken, close: () => app.close() };
}
