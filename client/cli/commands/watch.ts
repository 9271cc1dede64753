/**
 * `watch`: live progress until the migration ends. On a terminal the block is redrawn in place; otherwise one
 * plain line is printed per change. The exit code tells completed (0), failed (1) and cancelled (3) apart.
 */
import type { Command } from 'commander';
import { getProgress } from '../../progress';
import type { CliContext } from '../context';
import { type ExitCode, exitCodeForStatus, UsageError } from '../exit-codes';
import { renderStatus, renderStatusLine } from '../render';

/** Polls the migration every `intervalMs` and renders it until it closes; returns the exit code. */
export async function watchMigration(
  ctx: CliContext,
  workflowId: string,
  intervalMs = 1000,
  signal?: AbortSignal,
): Promise<ExitCode> {
  const { client } = await ctx.client();
  const uiUrl = await ctx.uiUrl(workflowId);
  let drawn = 0;
  let lastLine = '';
  if (!ctx.io.isTty && uiUrl) ctx.io.out(`Web UI: ${uiUrl}\n`);
  for (;;) {
    const status = await getProgress(client, workflowId, { queryTimeoutMs: 3000 });
    if (ctx.io.isTty) {
      const lines = renderStatus(status, Date.now(), uiUrl);
      ctx.io.out(`${drawn ? `\x1b[${drawn}A\x1b[J` : ''}${lines.join('\n')}\n`);
      drawn = lines.length;
    } else {
      const line = renderStatusLine(status);
      const key = line.replace(/^\S+ /, '').replace(/ elapsed=.*$/, '');
      if (key !== lastLine) ctx.io.out(`${line}\n`);
      lastLine = key;
    }
    if (status.status !== 'RUNNING') return exitCodeForStatus(status.status);
    if (signal?.aborted) return exitCodeForStatus('RUNNING');
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Registers `watch <id>`. */
export function registerWatch(program: Command, ctx: CliContext, setExit: (code: ExitCode) => void): void {
  program
    .command('watch')
    .description('Show live progress until the migration ends (exit 0 completed, 1 failed, 3 cancelled)')
    .argument('<id>', 'migration ID, or a cluster identifier with AWS_REGION set')
    .option('--interval <seconds>', 'seconds between refreshes', '1')
    .addHelpText(
      'after',
      `
Examples:
  $ aurora-migrate watch aurora-migrate:us-east-1:orders-aurora
  $ AWS_REGION=us-east-1 aurora-migrate watch orders-aurora --interval 5 | tee migration.log`,
    )
    .action(async (id: string, opts: { interval: string }) => {
      const seconds = Number(opts.interval);
      if (!Number.isFinite(seconds) || seconds < 0.2) throw new UsageError('--interval must be at least 0.2 seconds');
      setExit(await watchMigration(ctx, ctx.resolveId(id), seconds * 1000));
    });
}
