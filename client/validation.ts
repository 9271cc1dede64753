/**
 * The dry run: the same backup validation the workflow runs first, called directly against S3 so that a user
 * can check a backup before starting anything. `activities/backup-validation` is loaded lazily so that the CLI
 * starts fast and the library does not pull the validator in unless asked.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import type { AppConfig } from '../config/app-config';
import type { MigrationInput, ValidationMode, ValidationReport } from '../workflows/types';
import { createS3Client } from './aws';

/** Progress callback of a validation: bytes read so far out of the total, when known. */
export type ValidationProgress = (progress: { bytesDone: number; bytesTotal: number }) => void;

type ValidateBackup = (
  s3: S3Client,
  input: {
    bucket: string;
    prefix: string;
    region: string;
    sourceEngineVersion: string;
    engineVersion?: string;
    mode: ValidationMode;
  },
  options?: { onProgress?: ValidationProgress; signal?: AbortSignal },
) => Promise<ValidationReport>;

// A variable path keeps the validator out of the CLI's start-up and out of this module's compile-time graph.
const BACKUP_VALIDATION_MODULE = '../activities/backup-validation';

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
  const { validateBackup } = (await import(BACKUP_VALIDATION_MODULE)) as { validateBackup: ValidateBackup };
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
