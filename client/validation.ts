/**
 * The dry run: the same pre-flight and backup validation the workflow runs first, called directly against AWS
 * so that a user can check a migration before starting anything, with the requests it would send.
 */
import type { AppConfig } from '../config/app-config';
import type { MigrationInput, ValidationMode, ValidationReport } from '../workflows/types';
import type { PreflightReport } from '../activities/preflight';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import {
  createIamClient,
  createKmsClient,
  createRdsClient,
  createS3Client,
  createSecretsClient,
} from '../config/aws-clients';
import { expectedCatchUpSeconds } from '../workflows/catch-up-estimate';
import { migrationWorkflowId } from '../workflows/ids';

/** Progress callback of a validation: bytes read so far out of the total, when known. */
export type ValidationProgress = (progress: { bytesDone: number; bytesTotal: number }) => void;

/** Options of `validateSpecBackup`. */
export interface DryRunOptions {
  /** Overrides the spec's `options.validation`. */
  mode?: ValidationMode;
  onProgress?: ValidationProgress;
  signal?: AbortSignal;
}

/** Validates the backup a spec points at, without starting a migration. */
export async function validateSpecBackup(
  config: AppConfig,
  spec: MigrationInput,
  opts: DryRunOptions = {},
): Promise<ValidationReport> {
  // Imported on first use: the validator stays out of the CLI's start-up and of library users who never dry-run.
  const { validateBackup } = await import('../activities/backup-validation');
  const s3 = createS3Client(config, spec.region);
  try {
    return await validateBackup(
      s3,
      {
        bucket: spec.restore.S3BucketName,
        prefix: spec.restore.S3Prefix ?? '',
        region: spec.region,
        sourceEngineVersion: spec.restore.SourceEngineVersion,
        ...(spec.restore.EngineVersion ? { engineVersion: spec.restore.EngineVersion } : {}),
        mode: opts.mode ?? spec.options?.validation ?? 'quick',
      },
      { onProgress: opts.onProgress, signal: opts.signal },
    );
  } finally {
    s3.destroy();
  }
}

/**
 * The pre-flight half of the dry run: the same read-only AWS checks the workflow runs before creating anything,
 * and the exact RestoreDBClusterFromS3 and CreateDBInstance requests it would send (password redacted).
 */
export async function preflightSpec(config: AppConfig, spec: MigrationInput): Promise<PreflightReport> {
  const { runPreflight, PreflightCodes } = await import('../activities/preflight');
  // Without a configured Region the checks run in the spec's, and say that the worker's is checked at start.
  const here: AppConfig = config.aws.region ? config : { ...config, aws: { ...config.aws, region: spec.region } };
  const deps = {
    rds: createRdsClient(here),
    iam: createIamClient(here),
    kms: createKmsClient(here),
    s3: createS3Client(here),
  };
  try {
    const report = await runPreflight(deps, {
      spec,
      workflowId: migrationWorkflowId(spec.region, spec.restore.DBClusterIdentifier),
    });
    if (config.aws.region) return report;
    const unknownRegion = {
      code: PreflightCodes.RegionMismatch,
      severity: 'warning' as const,
      path: 'region',
      message: `No AWS Region is configured here, so the checks ran in the spec's Region ${spec.region}.`,
      fix: `Set AWS_REGION to the Region of the worker that will run it; the worker refuses a spec for another Region at start.`,
    };
    return { ...report, findings: [unknownRegion, ...report.findings] };
  } finally {
    for (const client of Object.values(deps)) client.destroy();
  }
}

/** What the dry run reports: the backup report (ok only when the pre-flight is ok too) and the pre-flight. */
export type DryRunReport = ValidationReport & {
  preflight: PreflightReport;
  /** False when the pre-flight refused the Region, so the backup was not read (as a migration would not). */
  backupRead: boolean;
};

/**
 * The whole dry run, in the workflow's order: the pre-flight first, then (unless the Region is refused) the
 * backup validation, then (with `replication`) the source MySQL's checks. CLI and HTTP both report this.
 */
export async function dryRun(config: AppConfig, spec: MigrationInput, opts: DryRunOptions = {}): Promise<DryRunReport> {
  const preflight = await preflightSpec(config, spec);
  if (preflight.regionMismatch) {
    return {
      ok: false,
      mode: opts.mode ?? spec.options?.validation ?? 'quick',
      bucket: spec.restore.S3BucketName,
      prefix: spec.restore.S3Prefix ?? '',
      format: 'unknown',
      objectCount: 0,
      totalBytes: 0,
      findings: [],
      durationMs: 0,
      preflight,
      backupRead: false,
    };
  }
  let report: ValidationReport;
  try {
    report = await validateSpecBackup(config, spec, opts);
  } catch (err) {
    const unreadable = opts.signal?.aborted ? undefined : await unreadableBackup(err, spec, opts);
    if (!unreadable) throw err;
    report = unreadable;
  }
  const checked = await withSourceFindings(config, spec, report, preflight);
  return { ...report, ok: report.ok && checked.ok, preflight: checked, backupRead: true };
}

/**
 * With `replication`, the source MySQL's checks, as the workflow runs them after reading the backup (its
 * binlog coordinates and size), added to the pre-flight's findings. The password is read here from its secret
 * (or the spec's literal) and used for the login only.
 */
async function withSourceFindings(
  config: AppConfig,
  spec: MigrationInput,
  report: ValidationReport,
  preflight: PreflightReport,
): Promise<PreflightReport> {
  if (!spec.replication) return preflight;
  const [{ preflightSource }, { secretsClientsByRegion }] = await Promise.all([
    import('../activities/mysql/source-preflight'),
    import('../activities/secrets'),
  ]);
  const clients: SecretsManagerClient[] = [];
  const secrets = secretsClientsByRegion((region) => {
    const client = createSecretsClient(config, region);
    clients.push(client);
    return client;
  });
  try {
    const { findings } = await preflightSource(secrets, {
      spec,
      ...(report.binlog ? { backupBinlog: report.binlog } : {}),
      expectedCatchUpSeconds: expectedCatchUpSeconds(report.totalBytes),
    });
    const failed = findings.some((f) => f.severity === 'error');
    return {
      ...preflight,
      ok: preflight.ok && !failed,
      identifierConflict: preflight.identifierConflict && !failed,
      findings: [...preflight.findings, ...findings],
    };
  } finally {
    for (const client of clients) client.destroy();
  }
}

/**
 * A backup S3 refuses to let us read (no such bucket, access denied: what the one AWS boundary classifies as
 * non-retryable) is a finding on `restore.S3BucketName`, so the dry run still returns its whole report; a
 * transient error (network, throttling) is not a verdict on the spec and is left to throw.
 */
async function unreadableBackup(
  err: unknown,
  spec: MigrationInput,
  opts: DryRunOptions,
): Promise<ValidationReport | undefined> {
  const { classifyAwsError } = await import('../activities/aws-errors');
  const bucket = spec.restore.S3BucketName;
  const prefix = spec.restore.S3Prefix ?? '';
  const failure = classifyAwsError(err, { operation: `reading the backup in s3://${bucket}/${prefix}` });
  if (!failure.nonRetryable) return undefined;
  return {
    ok: false,
    mode: opts.mode ?? spec.options?.validation ?? 'quick',
    bucket,
    prefix,
    format: 'unknown',
    objectCount: 0,
    totalBytes: 0,
    findings: [
      {
        code: 'BACKUP_UNREADABLE',
        severity: 'error',
        path: 'restore.S3BucketName',
        message: failure.message,
        fix:
          `Check that restore.S3BucketName names an existing bucket in ${spec.region} and restore.S3Prefix the ` +
          'backup in it, and that these credentials may list it and read its objects (s3:ListBucket, s3:GetObject).',
      },
    ],
    durationMs: 0,
  };
}
