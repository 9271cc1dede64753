/** Shared setup of the validator's S3 tests: inputs per MySQL version and a runner that returns codes. */
import type { S3Client } from '@aws-sdk/client-s3';
import { validateBackup, type ValidateBackupInput, type ValidateOptions } from '../../activities/backup-validation';
import type { ValidationReport } from '../../workflows/types';

/** A correct validation input for a fixture of the given version. */
export function inputFor(
  version: '5.7' | '8.0',
  bucket: string,
  prefix: string,
  extra: Partial<ValidateBackupInput> = {},
): ValidateBackupInput {
  return {
    bucket,
    prefix,
    region: 'us-east-1',
    sourceEngineVersion: version === '5.7' ? '5.7.44' : '8.0.35',
    engineVersion: version === '5.7' ? '5.7.mysql_aurora.2.12.0' : '8.0.mysql_aurora.3.08.0',
    mode: 'quick',
    ...extra,
  };
}

/** Validates and returns the report with the error/warning codes pulled out. */
export async function run(
  s3: S3Client,
  input: ValidateBackupInput,
  options?: ValidateOptions,
): Promise<{ report: ValidationReport; errors: string[]; warnings: string[]; codes: string[] }> {
  const report = await validateBackup(s3, input, options);
  return {
    report,
    errors: report.findings.filter((f) => f.severity === 'error').map((f) => f.code),
    warnings: report.findings.filter((f) => f.severity === 'warning').map((f) => f.code),
    codes: report.findings.map((f) => f.code),
  };
}
