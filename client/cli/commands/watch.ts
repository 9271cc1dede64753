/**
 * `watch`: live progress until the migration ends. On a terminal the block is redrawn in place; otherwise one
 * plain line is printed per change; with `--json`, one JSON object per progress change (NDJSON), the last line
 * being the outcome. The exit code tells completed (0), failed (1) and cancelled (3) apart in every mode.
 */
import type { Command } from 'commander';
import { migrationOutcome, watchProgress } from '../../watch';
import type { CliContext } from '../context';
import { type ExitCode, exitCodeForStatus, UsageError } from '../exit-codes';
import { renderStatus, renderStatusLine } from '../render';

/** How `watchMigration` prints: text (redrawn on a terminal, lines otherwise) or NDJSON. */
export interface WatchOutput {
  json?: boolean;
}

/** Polls the migration every `intervalMs` and renders it until it closes; returns the exit code. */
export async function watchMigration(
  ctx: CliContext,
  workflowId: string,
  intervalMs = 1000,
  signal?: AbortSignal,
  output: WatchOutput = {},
): Promise<ExitCode> {
  const { client } = await ctx.client();
  if (output.json) return watchJson(ctx, workflowId, intervalMs, signal);
  const uiUrl = await ctx.uiUrl(workflowId);
  let drawn = 0;
  let lastLine = '';
  let closedStatus = 'RUNNING';
  if (!ctx.io.isTty && uiUrl) ctx.io.out(`Web UI: ${uiUrl}\n`);
  // Every read, not only changes: the terminal view redraws its elapsed time.
  for await (const status of watchProgress(client, workflowId, { intervalMs, signal, onlyChanges: false })) {
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
    closedStatus = status.status;
  }
  return exitCodeForStatus(closedStatus);
}

/**
 * NDJSON: each progress change is `getProgress`'s object as is, one per line; once the migration closed, a last
 * line `{workflowId, outcome, status, result | error}` (see `migrationOutcome`). Stopped by `signal` while
 * running, it ends without an outcome line, like the text mode's exit 1.
 */
async function watchJson(
  ctx: CliContext,
  workflowId: string,
  intervalMs: number,
  signal?: AbortSignal,
): Promise<ExitCode> {
  const { client } = await ctx.client();
  let closedStatus = 'RUNNING';
  for await (const status of watchProgress(client, workflowId, { intervalMs, signal })) {
    ctx.io.out(`${JSON.stringify(status)}\n`);
    closedStatus = status.status;
  }
  if (closedStatus === 'RUNNING') return exitCodeForStatus(closedStatus);
  const outcome = await migrationOutcome(client, workflowId);
  ctx.io.out(`${JSON.stringify(outcome)}\n`);
  return exitCodeForStatus(outcome.status);
}

/** Registers `watch <id>`. */
export function registerWatch(program: Command, ctx: CliContext, setExit: (code: ExitCode) => void): void {
  program
    .command('watch')
    .description('Show live progress until the migration ends (exit 0 completed, 1 failed, 3 cancelled)')
    .argument('<id>', 'migration ID, or a cluster identifier with AWS_REGION set')
    .option('--interval <seconds>', 'seconds between refreshes', '1')
    .option('--json', 'print one JSON object per progress change (NDJSON); the last line is the outcome')
    .addHelpText(
      'after',
      `
Examples:
  $ aurora-migrate watch aurora-migrate:us-east-1:orders-aurora
  $ AWS_REGION=us-east-1 aurora-migrate watch orders-aurora --interval 5 | tee migration.log
  $ aurora-migrate watch aurora-migrate:us-east-1:orders-aurora --json | jq -c '{step, status}'

With --json each line is the progress object of \`status --json\` (without uiUrl), printed when it changes;
the last line is {workflowId, outcome: completed|failed|cancelled, status, result | error}.
Exit codes, in every mode: 0 completed, 1 failed, 3 cancelled or terminated.`,
    )
    .action(async (id: string, opts: { interval: string; json?: boolean }) => {
      const seconds = Number(opts.interval);
      if (!Number.isFinite(seconds) || seconds < 0.2) throw new UsageError('--interval must be at least 0.2 seconds');
      setExit(await watchMigration(ctx, ctx.resolveId(id), seconds * 1000, undefined, { json: opts.json }));
    });
}
