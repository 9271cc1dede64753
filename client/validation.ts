/**
 * The dry run: the same backup validation the workflow runs first, called directly against S3 so that a user
 * can check a backup before starting anything.
 */
import type { AppConfig } from '../config/app-config';
import type { MigrationInput, ValidationMode, ValidationReport } from '../workflows/types';
import type { PreflightReport } from '../activities/preflight';
import { createIamClient, createKmsClient, createRdsClient, createS3Client } from '../config/aws-clients';
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
  const { runPreflight } = await import('../activities/preflight');
  const deps = {
    rds: createRdsClient(config),
    iam: createIamClient(config),
    kms: createKmsClient(config),
    s3: createS3Client(config),
  };
  try {
    return await runPreflight(deps, {
      spec,
      workflowId: migrationWorkflowId(spec.region, spec.restore.DBClusterIdentifier),
    });
  } finally {
    for (const client of Object.values(deps)) client.destroy();
  }
}
