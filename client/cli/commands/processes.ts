/**
 * The long-running commands: `worker` (the Temporal worker) and `serve` (the HTTP trigger service). Both are
 * loaded lazily so that every other command starts fast, and both stop cleanly on SIGINT/SIGTERM.
 */
import type { Command } from 'commander';
import type { CliContext } from '../context';

/** An AbortSignal that fires on the first SIGINT or SIGTERM. */
function shutdownSignal(): AbortSignal {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return controller.signal;
}

/** Registers `worker` and `serve`. */
export function registerProcessCommands(program: Command, ctx: CliContext): void {
  program
    .command('worker')
    .description('Run a worker: executes migrations from the task queue (AURORA_MIGRATE_TASK_QUEUE)')
    .addHelpText(
      'after',
      `
Examples:
  $ TEMPORAL_ADDRESS=localhost:7233 aurora-migrate worker
  $ AURORA_MIGRATE_RDS_ENDPOINT=http://127.0.0.1:4566 aurora-migrate worker   # against the emulator`,
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
}
