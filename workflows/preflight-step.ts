/**
 * The migration's pre-flight step: the AWS checks (Region, RDS, IAM, KMS) before the backup validation reads
 * S3 and before anything is created, merged with the backup findings into one report. Behind a patch so that
 * histories recorded before the step existed replay unchanged. With `replication`, the source MySQL's checks
 * join the same report after the backup validation (they need the backup's binlog coordinates and size); that
 * path needs no patch, since a migration with `replication` could not start before it existed.
 */
import { ApplicationFailure, patched, proxyActivities } from '@temporalio/workflow';
import type { createActivities } from '../activities';
import type { PreflightReport } from '../activities/preflight';
import { expectedCatchUpSeconds } from './catch-up-estimate';
import { FailureTypes, nonRetryableFailureTypes } from './errors';
import { Patches } from './ids';
import type { MigrationInput, ValidationFinding, ValidationMode, ValidationReport, ValidationSummary } from './types';

type Activities = ReturnType<typeof createActivities>;

/** Read-only describe calls: quick, retried through throttling and network errors for a few minutes. */
const preflightActivity = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  scheduleToCloseTimeout: '10 minutes',
  summary: 'pre-flight: Region, RDS, IAM, KMS',
  retry: {
    initialInterval: '2s',
    backoffCoefficient: 2,
    maximumInterval: '30s',
    nonRetryableErrorTypes: nonRetryableFailureTypes,
  },
});

/** The source checks log in to MySQL: quick, retried through a throttled Secrets Manager only. */
const sourcePreflightActivity = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  scheduleToCloseTimeout: '5 minutes',
  summary: 'pre-flight: the source MySQL',
  retry: {
    initialInterval: '2s',
    backoffCoefficient: 2,
    maximumInterval: '30s',
    nonRetryableErrorTypes: nonRetryableFailureTypes,
  },
});

/**
 * Adds the source MySQL's findings (`input.replication` only) to the pre-flight report, so one report and one
 * refusal name them beside the AWS and backup findings; unchanged without `replication`.
 */
export async function addSourceFindings(
  input: MigrationInput,
  backup: ValidationReport,
  preflight: PreflightReport | undefined,
): Promise<PreflightReport | undefined> {
  if (!input.replication || !preflight || preflight.regionMismatch) return preflight;
  const { findings } = await sourcePreflightActivity.preflightSource({
    spec: input,
    ...(backup.binlog ? { backupBinlog: backup.binlog } : {}),
    expectedCatchUpSeconds: expectedCatchUpSeconds(backup.totalBytes),
  });
  return withFindings(preflight, findings);
}

/** The report with more findings; ok only while none is an error. */
export function withFindings(preflight: PreflightReport, findings: ValidationFinding[]): PreflightReport {
  return {
    ...preflight,
    ok: preflight.ok && !findings.some((f) => f.severity === 'error'),
    identifierConflict: preflight.identifierConflict && !findings.some((f) => f.severity === 'error'),
    findings: [...preflight.findings, ...findings],
  };
}

/** Runs the pre-flight (unless replaying a history from before it existed). */
export async function runPreflightStep(
  input: MigrationInput,
  workflowId: string,
): Promise<PreflightReport | undefined> {
  if (!patched(Patches.awsPreflight)) return undefined;
  return preflightActivity.preflight({ spec: input, workflowId });
}

/** The report of a backup that was not read because the pre-flight refused the Region. */
export function unreadBackupReport(input: MigrationInput, mode: ValidationMode): ValidationReport {
  return {
    ok: false,
    mode,
    bucket: input.restore.S3BucketName,
    prefix: input.restore.S3Prefix ?? '',
    format: 'unknown',
    objectCount: 0,
    totalBytes: 0,
    findings: [],
    durationMs: 0,
  };
}

/** One report: the pre-flight findings first, then the backup's; ok only when neither has an error. */
export function mergeReports(report: ValidationReport, preflight: PreflightReport | undefined): ValidationReport {
  if (!preflight) return report;
  return { ...report, ok: report.ok && preflight.ok, findings: [...preflight.findings, ...report.findings] };
}

/**
 * The failure that stops a migration whose merged report has errors, before anything is created:
 * BackupInvalid when the backup itself has errors (as before the pre-flight existed), ResourceConflict when
 * the only errors are identifiers taken by resources that are not ours (as the restore would have said), else
 * PreflightFailed.
 * The message lists every error of both, each with its field or object and its fix.
 */
export function refusal(
  backup: ValidationReport,
  preflight: PreflightReport | undefined,
  summary: ValidationSummary,
): ApplicationFailure {
  const preflightErrors = (preflight?.findings ?? []).filter((f) => f.severity === 'error');
  const errors = [...preflightErrors, ...backup.findings.filter((f) => f.severity === 'error')];
  const backupBroken = backup.findings.some((f) => f.severity === 'error');
  const what = backupBroken
    ? `The backup in s3://${backup.bucket}/${backup.prefix} cannot be restored`
    : preflightErrors.some((f) => f.code.startsWith('SOURCE_'))
      ? 'The source MySQL or the AWS environment refuses this migration, so nothing was created'
      : 'The AWS environment refuses this migration, so nothing was created';
  return ApplicationFailure.create({
    type: backupBroken
      ? FailureTypes.BackupInvalid
      : preflight?.identifierConflict
        ? FailureTypes.ResourceConflict
        : FailureTypes.PreflightFailed,
    nonRetryable: true,
    message:
      `${what} (${errors.length} errors): ` +
      // A pre-flight error names its spec field; a backup error's message already names its object.
      errors
        .map((f) => `[${f.code}]${preflightErrors.includes(f) ? ` ${f.path}:` : ''} ${f.message} Fix: ${f.fix}`)
        .join(' | '),
    details: [summary],
  });
}
