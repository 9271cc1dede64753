/**
 * The commands that steer a running migration: `cancel`, `approve`, `reject`, `cutover`.
 */
import type { Command } from 'commander';
import { approveMigration, cancelMigration, cutover, rejectMigration } from '../../temporal';
import type { ApprovalDecision } from '../../../workflows/types';
import type { CliContext } from '../context';

/** Registers `cancel`, `approve`, `reject` and `cutover`. */
export function registerControlCommands(program: Command, ctx: CliContext): void {
  program
    .command('cancel')
    .description('Cancel a migration: it stops at a safe point and applies its onFailure policy')
    .argument('<id>', 'migration ID, or a cluster identifier with AWS_REGION set')
    .option('--json', 'print {id, cancelRequested} as JSON')
    .addHelpText('after', '\nExamples:\n  $ aurora-migrate cancel aurora-migrate:us-east-1:orders-aurora')
    .action(async (id: string, opts: { json?: boolean }) => {
      const { client } = await ctx.client();
      const workflowId = ctx.resolveId(id);
      await cancelMigration(client, workflowId);
      if (opts.json) ctx.json({ id: workflowId, cancelRequested: true });
      else ctx.lines([`Cancellation requested for ${workflowId}.`, `  watch: aurora-migrate watch ${workflowId}`]);
    });

  const decide = (approved: boolean) => async (id: string, opts: { by: string; reason?: string; json?: boolean }) => {
    const { client } = await ctx.client();
    const workflowId = ctx.resolveId(id);
    const input = { by: opts.by, ...(opts.reason ? { reason: opts.reason } : {}) };
    const decision: ApprovalDecision = approved
      ? await approveMigration(client, workflowId, input)
      : await rejectMigration(client, workflowId, input);
    if (opts.json) ctx.json({ id: workflowId, ...decision });
    else
      ctx.lines([`${decision.approved ? 'Approved' : 'Rejected'} ${workflowId} as ${decision.by} at ${decision.at}.`]);
  };

  program
    .command('approve')
    .description('Approve a migration waiting at its approval gate (options.requireApproval)')
    .argument('<id>', 'migration ID, or a cluster identifier with AWS_REGION set')
    .requiredOption('--by <name>', 'who approves (recorded in the workflow)')
    .option('--reason <text>', 'why')
    .option('--json', 'print the decision as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  $ aurora-migrate approve aurora-migrate:us-east-1:orders-aurora --by alice --reason "report reviewed"',
    )
    .action(decide(true));

  program
    .command('reject')
    .description('Reject a migration waiting at its approval gate; it ends without restoring')
    .argument('<id>', 'migration ID, or a cluster identifier with AWS_REGION set')
    .requiredOption('--by <name>', 'who rejects (recorded in the workflow)')
    .requiredOption('--reason <text>', 'why (required)')
    .option('--json', 'print the decision as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  $ aurora-migrate reject aurora-migrate:us-east-1:orders-aurora --by bob --reason "wrong backup"',
    )
    .action(decide(false));

  program
    .command('cutover')
    .description(
      'Start the cutover of a migration that is catching up or waiting for it (replication.cutover: manual): ' +
        'the source becomes read-only, the cluster executes its last write, the tables are verified and ' +
        'replication is removed; on any failure the source is made writable again',
    )
    .argument('<id>', 'migration ID, or a cluster identifier with AWS_REGION set')
    .requiredOption('--by <name>', 'who decides (recorded in the workflow)')
    .option('--reason <text>', 'why now')
    .option('--json', 'print the decision as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  $ aurora-migrate cutover aurora-migrate:us-east-1:orders-aurora --by alice --reason "maintenance window"' +
        '\n  $ aurora-migrate watch aurora-migrate:us-east-1:orders-aurora    # follow it; the result has the report',
    )
    .action(async (id: string, opts: { by: string; reason?: string; json?: boolean }) => {
      const { client } = await ctx.client();
      const workflowId = ctx.resolveId(id);
      const decision = await cutover(client, workflowId, {
        by: opts.by,
        ...(opts.reason ? { reason: opts.reason } : {}),
      });
      if (opts.json) ctx.json({ id: workflowId, ...decision });
      else {
        ctx.lines([
          `Cutover of ${workflowId} decided by ${decision.by} at ${decision.at}.`,
          `  follow it: aurora-migrate watch ${workflowId}`,
        ]);
      }
    });
}
