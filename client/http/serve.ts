/**
 * `serve`: runs the HTTP service on the configured host and port until the signal fires.
 */
import type { Client } from '@temporalio/client';
import type { AppConfig } from '../../config/app-config';
import type { TemporalTarget } from '../../config/temporal-connection';
import { buildHttpServer } from './server';

/** Inputs of `serve`. */
export interface ServeOptions {
  client: Client;
  config: AppConfig;
  target: TemporalTarget;
  /** Stops the server (SIGINT/SIGTERM in the CLI). */
  signal: AbortSignal;
  /** Where start-up notes go (stderr in the CLI). */
  log: (line: string) => void;
}

/** Listens on `config.http.host:port`, then closes gracefully when `signal` fires. */
export async function serve(options: ServeOptions): Promise<void> {
  const { config, signal, log } = options;
  if (config.http.tokens.length === 0) {
    log('warning: AURORA_MIGRATE_HTTP_TOKENS is empty, so every authenticated request is refused');
  }
  const app = buildHttpServer(options);
  const address = await app.listen({ host: config.http.host, port: config.http.port });
  log(`aurora-migrate HTTP service on ${address} (OpenAPI at ${address}/openapi.json)`);
  await new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await app.close();
}
