/**
 * `validate <spec>`: the dry run. Checks the spec, the AWS environment (pre-flight) and the backup in S3, and
 * prints the requests a migration would send, without creating anything.
 */
import type { Command } from 'commander';
import { dryRun } from '../../validation';
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
    .option('--json', 'print the full report as JSON: the backup report, `preflight` (findings, requests) and `ok`')
    .addHelpText(
      'after',
      `
Checks, read-only: the worker Region (AWS_REGION) against the spec's region first; RDS (engine version,
instance classes, subnet/parameter/option groups, quotas, identifiers free or ours); KMS (KmsKeyId,
MasterUserSecretKmsKeyId); IAM (the ingestion role's trust and its S3/KMS permissions); then the backup;
then, with a replication section, the source MySQL (binlog on and ROW, server_id, GTID settings, the
replication user's grants, the backup's binlog file still there, retention, the event scheduler).
A check the caller may not run is a warning naming the permission. Passwords are printed as <redacted>.

Examples:
  $ aurora-migrate validate orders.yaml
  $ aurora-migrate validate orders.yaml --deep --json > report.json

Exit codes: 0 nothing refuses the migration, 1 findings with errors, 2 invalid spec or usage.`,
    )
    .action(async (file: string, opts: { deep?: boolean; json?: boolean }) => {
      const spec = await readSpec(ctx, file);
      let lastShown = -1;
      const report = await dryRun(ctx.config(), spec, {
        ...(opts.deep ? { mode: 'deep' as const } : {}),
        onProgress: ({ bytesDone, bytesTotal }) => {
          if (!ctx.io.isTty || opts.json || bytesTotal <= 0) return;
          const percent = Math.floor((bytesDone / bytesTotal) * 100);
          if (percent !== lastShown) ctx.io.err(`\rvalidating… ${percent}%`);
          lastShown = percent;
        },
      });
      if (lastShown >= 0) ctx.io.err('\n');
      if (opts.json) ctx.json(report);
      else
        ctx.lines([
          ...renderPreflight(report.preflight),
          '',
          ...(report.backupRead
            ? renderReport({ ...report, ok: !report.findings.some((f) => f.severity === 'error') })
            : ['Backup     not read: the pre-flight refused the Region.']),
        ]);
      setExit(report.ok ? ExitCodes.ok : ExitCodes.failed);
    });
}
