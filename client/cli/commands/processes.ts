/**
 * The long-running commands: `worker` (the Temporal worker), `serve` (the HTTP trigger service) and
 * `codec-server` (decrypts payloads for the Web UI). They load lazily so that every other command starts fast,
 * and all stop cleanly on SIGINT/SIGTERM.
 */
import type { Command } from 'commander';
import type { CliContext } from '../context';
import { UsageError } from '../exit-codes';

/** An AbortSignal that fires on the first SIGINT or SIGTERM. */
function shutdownSignal(): AbortSignal {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return controller.signal;
}

/** Registers `worker`, `serve` and `codec-server`. */
export function registerProcessCommands(program: Command, ctx: CliContext): void {
  program
    .command('worker')
    .description('Run a worker: executes migrations from the task queue (AURORA_MIGRATE_TASK_QUEUE)')
    .addHelpText(
      'after',
      `
Examples:
  $ TEMPORAL_ADDRESS=localhost:7233 aurora-migrate worker
  $ AURORA_MIGRATE_RDS_ENDPOINT=http://127.0.0.1:4566 aurora-migrate worker   # against the emulator
  $ AURORA_MIGRATE_WORKER_WORKFLOW_TASKS=100 AURORA_MIGRATE_WORKER_WORKFLOW_THREADS=2 aurora-migrate worker

Capacity (unset: the Temporal SDK's defaults): AURORA_MIGRATE_WORKER_WORKFLOW_TASKS (40),
AURORA_MIGRATE_WORKER_ACTIVITIES (100), AURORA_MIGRATE_WORKER_WORKFLOW_THREADS (1).

Metrics: AURORA_MIGRATE_METRICS_PORT=9464 serves Prometheus at http://127.0.0.1:9464/metrics
(AURORA_MIGRATE_METRICS_HOST=0.0.0.0 to listen on every interface). Tracing: OTEL_EXPORTER_OTLP_ENDPOINT
(or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) sends spans over OTLP/HTTP; unset, tracing is off.

Secrets: a spec's restore.MasterUserPasswordSecretArn is read here, when RestoreDBClusterFromS3 is called
(secretsmanager:GetSecretValue on the secret, kms:Decrypt for a customer key; AURORA_MIGRATE_SECRETS_ENDPOINT
overrides the endpoint).`,
    )
    .action(async () => {
      ctx.config();
      // Imported here so that the worker (and the workflow bundler) loads only for this command.
      const { runWorker } = await import('../../../worker/run');
      await runWorker({ env: ctx.env, signal: shutdownSignal() });
    });

  program
    .command('serve')
    .description('Run the HTTP trigger service (AURORA_MIGRATE_HTTP_HOST/PORT, bearer tokens)')
    .addHelpText(
      'after',
      `
Examples:
  $ AURORA_MIGRATE_HTTP_TOKENS_FILE=/run/secrets/tokens aurora-migrate serve
  $ curl -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \\
      --data @orders.json http://127.0.0.1:8080/migrations`,
    )
    .action(async () => {
      const { serve } = await import('../../http/serve');
      const migration = await ctx.client();
      await serve({ ...migration, signal: shutdownSignal(), log: (line) => ctx.io.err(`${line}\n`) });
    });

  program
    .command('codec-server')
    .description('Serve the codec endpoint the Temporal Web UI uses to show encrypted payloads in clear')
    .option('--port <port>', 'port on 127.0.0.1', '8081')
    .option(
      '--host <host>',
      'address to listen on (keep it loopback unless behind an authenticating proxy)',
      '127.0.0.1',
    )
    .addHelpText(
      'after',
      `
Needs AURORA_MIGRATE_CODEC_KEYS; answers browsers from AURORA_MIGRATE_WEB_UI_URL only.

Examples:
  $ AURORA_MIGRATE_WEB_UI_URL=http://127.0.0.1:8233 aurora-migrate codec-server --port 8081
  $ temporal server start-dev --ui-codec-endpoint http://127.0.0.1:8081
  $ temporal workflow show -w <id> --codec-endpoint http://127.0.0.1:8081`,
    )
    .action(async (opts: { port: string; host: string }) => {
      const config = ctx.config();
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw new UsageError(`--port must be 0–65535, got ${opts.port}`);
      if (config.codecKeys.length === 0) {
        throw new UsageError('AURORA_MIGRATE_CODEC_KEYS is empty: set the same keys as the workers (id:base64key,…)');
      }
      const { startCodecServer } = await import('../../codec-server/server');
      const server = await startCodecServer({
        keys: config.codecKeys,
        allowOrigin: config.webUiUrl ? new URL(config.webUiUrl).origin : undefined,
        host: opts.host,
        port,
      });
      ctx.io.err(`codec endpoint listening on ${server.url}\n`);
      const signal = shutdownSignal();
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
      await server.close();
    });
}
