/**
 * The read commands: `status <id>` and `list`.
 */
import type { Command } from 'commander';
import { type ListFilters, listMigrations, MigrationStates, type MigrationState } from '../../list';
import { getProgress } from '../../progress';
import { type MigrationStep, MigrationSteps } from '../../../workflows/types';
import type { CliContext } from '../context';
import { UsageError } from '../exit-codes';
import { renderList, renderStatus } from '../render';

/** Registers `status` and `list`. */
export function registerReadCommands(program: Command, ctx: CliContext): void {
  program
    .command('status')
    .description('Show where a migration is: step, statuses, elapsed time, validation, last error')
    .argument('<id>', 'migration ID, or a cluster identifier with AWS_REGION set')
    .option('--json', 'print the progress as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ aurora-migrate status aurora-migrate:us-east-1:orders-aurora
  $ AWS_REGION=us-east-1 aurora-migrate status orders-aurora --json | jq .step`,
    )
    .action(async (id: string, opts: { json?: boolean }) => {
      const { client } = await ctx.client();
      const workflowId = ctx.resolveId(id);
      const status = await getProgress(client, workflowId);
      const uiUrl = await ctx.uiUrl(workflowId);
      if (opts.json) ctx.json({ ...status, ...(uiUrl ? { uiUrl } : {}) });
      else ctx.lines(renderStatus(status, Date.now(), uiUrl));
    });

  program
    .command('list')
    .description('List migrations, filtered by step, cluster and state (search attributes)')
    .option('--step <step>', `one of ${MigrationSteps.join(', ')}`)
    .option('--cluster <id>', 'DBClusterIdentifier')
    .option('--state <state>', `one of ${MigrationStates.join(', ')}`)
    .option('--limit <n>', 'most migrations shown', '50')
    .option('--json', 'print the list as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ aurora-migrate list --state running
  $ aurora-migrate list --step awaiting-approval --json
  $ aurora-migrate list --cluster orders-aurora`,
    )
    .action(async (opts: { step?: string; cluster?: string; state?: string; limit: string; json?: boolean }) => {
      const filters = listFilters(opts);
      const { client } = await ctx.client();
      const items = await listMigrations(client, filters);
      if (opts.json) ctx.json(items);
      else ctx.lines(renderList(items));
    });
}

function listFilters(opts: { step?: string; cluster?: string; state?: string; limit: string }): ListFilters {
  const filters: ListFilters = {};
  if (opts.step !== undefined) {
    if (!MigrationSteps.includes(opts.step as MigrationStep)) {
      throw new UsageError(`--step must be one of ${MigrationSteps.join(', ')}`);
    }
    filters.step = opts.step as MigrationStep;
  }
  if (opts.state !== undefined) {
    if (!MigrationStates.includes(opts.state as MigrationState)) {
      throw new UsageError(`--state must be one of ${MigrationStates.join(', ')}`);
    }
    filters.state = opts.state as MigrationState;
  }
  if (opts.cluster !== undefined) filters.clusterId = opts.cluster;
  const limit = Number(opts.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new UsageError('--limit must be 1 to 1000');
  filters.limit = limit;
  return filters;
}
