/**
 * `start <spec>`: validate the spec locally, start (or attach to) the cluster's migration, print its ID.
 */
import type { Command } from 'commander';
import { startMigration } from '../../temporal';
import type { CliContext } from '../context';
import type { ExitCode } from '../exit-codes';
import { readSpec } from '../spec-input';
import { watchMigration } from './watch';

/** Registers `start`. */
export function registerStart(program: Command, ctx: CliContext, setExit: (code: ExitCode) => void): void {
  program
    .command('start')
    .description('Start the migration a spec describes (or attach to the one already running for its cluster)')
    .argument('<spec>', 'spec file, JSON or YAML (see client/spec/migration-spec.schema.json)')
    .option('--wait', 'watch the migration until it ends; exit code as for watch')
    .option('--reject-if-running', 'fail instead of attaching when a migration of this cluster is running')
    .option(
      '--json',
      'print {id, runId, createdAt, attached, uiUrl} as JSON (with --wait: NDJSON, then as watch --json)',
    )
    .addHelpText(
      'after',
      `
Examples:
  $ aurora-migrate start orders.yaml
  $ aurora-migrate start orders.json --wait
  $ aurora-migrate start orders.json --reject-if-running --json | jq -r .id

An invalid spec prints each "field: problem" and exits 2 without starting anything.`,
    )
    .action(async (file: string, opts: { wait?: boolean; rejectIfRunning?: boolean; json?: boolean }) => {
      const spec = await readSpec(ctx, file);
      const { client, config } = await ctx.client();
      const started = await startMigration(client, config, spec, {
        ifRunning: opts.rejectIfRunning ? 'reject' : 'attach',
      });
      const uiUrl = await ctx.uiUrl(started.workflowId);
      if (opts.json) {
        const summary = {
          id: started.workflowId,
          runId: started.runId,
          createdAt: started.createdAt,
          attached: started.attached,
          ...(uiUrl ? { uiUrl } : {}),
        };
        // With --wait the whole output is NDJSON: this line, then watch --json's lines.
        if (opts.wait) ctx.io.out(`${JSON.stringify(summary)}\n`);
        else ctx.json(summary);
      } else {
        ctx.lines([
          `${started.attached ? 'Attached to the running migration' : 'Started migration'} ${started.workflowId}`,
          `  run:     ${started.runId}`,
          `  created: ${started.createdAt}`,
          ...(uiUrl ? [`  Web UI:  ${uiUrl}`] : []),
          ...(opts.wait ? [] : [`  watch:   aurora-migrate watch ${started.workflowId}`]),
        ]);
      }
      if (opts.wait) setExit(await watchMigration(ctx, started.workflowId, 1000, undefined, { json: opts.json }));
    });
}
