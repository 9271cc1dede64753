/**
 * `validate <spec>`: the dry run. Checks the spec, then the backup in S3, without starting anything.
 */
import type { Command } from 'commander';
import { preflightSpec, validateSpecBackup } from '../../validation';
import type { CliContext } from '../context';
import { type ExitCode, ExitCodes } from '../exit-codes';
import { renderPreflight, renderReport } from '../render';
import { readSpec } from '../spec-input';

/** Registers `validate`. */
export function registerValidate(program: Command, ctx: CliContext, setExit: (code: ExitCode) => void): void {
  program
    .command('validate')
    .description(
      'Dry run: check the spec, the backup in S3 and the AWS environment (pre-flight), and print the requests a migration would send, without creating anything',
    )
    .argument('<spec>', 'spec file, JSON or YAML')
    .option('--deep', 'read and checksum every byte (default: the spec’s options.validation, else quick)')
    .option('--json', 'print the full validation report as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ aurora-migrate validate orders.yaml
  $ aurora-migrate validate orders.yaml --deep --json > report.json

Exit codes: 0 the backup can be restored, 1 findings with errors, 2 invalid spec or usage.`,
    )
    .action(async (file: string, opts: { deep?: boolean; json?: boolean }) => {
      const spec = await readSpec(ctx, file);
      let lastShown = -1;
      const report = await validateSpecBackup(ctx.config(), spec, {
        ...(opts.deep ? { mode: 'deep' as const } : {}),
        onProgress: ({ bytesDone, bytesTotal }) => {
          if (!ctx.io.isTty || opts.json || bytesTotal <= 0) return;
          const percent = Math.floor((bytesDone / bytesTotal) * 100);
          if (percent !== lastShown) ctx.io.err(`\rvalidating… ${percent}%`);
          lastShown = percent;
        },
      });
      if (lastShown >= 0) ctx.io.err('\n');
      const preflight = await preflightSpec(ctx.config(), spec);
      if (opts.json) ctx.json({ ...report, ok: report.ok && preflight.ok, preflight });
      else ctx.lines([...renderReport(report), '', ...renderPreflight(preflight)]);
      setExit(report.ok && preflight.ok ? ExitCodes.ok : ExitCodes.failed);
    });
}
