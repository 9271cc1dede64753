/**
 * Pre-flight finding codes (stable API, like the backup validator's) and the guard that turns a check the
 * caller may not run into a warning naming the missing permission, never a crash and never a silent pass.
 */
import type { FindingSeverity, ValidationFinding } from '../../workflows/types';
import type { SourceCode } from './source-codes';
import { awsErrorFacts, isAccessDeniedError, isTransientAwsError } from '../aws-errors';

/** Every code a pre-flight check can emit. */
export const PreflightCodes = {
  RegionMismatch: 'PREFLIGHT_REGION_MISMATCH',
  EngineVersionUnknown: 'ENGINE_VERSION_UNKNOWN',
  EngineVersionMajorMismatch: 'ENGINE_VERSION_MAJOR_MISMATCH',
  EngineVersionTooOld: 'ENGINE_VERSION_TOO_OLD',
  InstanceClassNotOrderable: 'INSTANCE_CLASS_NOT_ORDERABLE',
  SubnetGroupNotFound: 'SUBNET_GROUP_NOT_FOUND',
  ClusterParameterGroupNotFound: 'CLUSTER_PARAMETER_GROUP_NOT_FOUND',
  ClusterParameterGroupFamilyMismatch: 'CLUSTER_PARAMETER_GROUP_FAMILY_MISMATCH',
  ParameterGroupNotFound: 'PARAMETER_GROUP_NOT_FOUND',
  ParameterGroupFamilyMismatch: 'PARAMETER_GROUP_FAMILY_MISMATCH',
  OptionGroupNotFound: 'OPTION_GROUP_NOT_FOUND',
  OptionGroupVersionMismatch: 'OPTION_GROUP_VERSION_MISMATCH',
  ClusterQuotaExceeded: 'CLUSTER_QUOTA_EXCEEDED',
  InstanceQuotaExceeded: 'INSTANCE_QUOTA_EXCEEDED',
  ClusterIdentifierTaken: 'CLUSTER_IDENTIFIER_TAKEN',
  InstanceIdentifierTaken: 'INSTANCE_IDENTIFIER_TAKEN',
  PermissionMissing: 'PERMISSION_MISSING',
  KmsKeyNotFound: 'KMS_KEY_NOT_FOUND',
  KmsKeyNotEnabled: 'KMS_KEY_NOT_ENABLED',
  KmsKeyNotSymmetric: 'KMS_KEY_NOT_SYMMETRIC',
  KmsKeyWrongRegion: 'KMS_KEY_WRONG_REGION',
  IngestionRoleNotFound: 'INGESTION_ROLE_NOT_FOUND',
  IngestionRoleNotTrusted: 'INGESTION_ROLE_NOT_TRUSTING_RDS',
  IngestionRoleNotAllowed: 'INGESTION_ROLE_NOT_ALLOWED',
  IngestionRoleConditional: 'INGESTION_ROLE_PERMISSION_CONDITIONAL',
  IngestionRolePermissionsChecked: 'INGESTION_ROLE_PERMISSIONS_CHECKED',
  BackupEncryptionUnknown: 'BACKUP_ENCRYPTION_UNKNOWN',
  CheckUnavailable: 'PREFLIGHT_CHECK_UNAVAILABLE',
} as const;

/** One pre-flight code. */
export type PreflightCode = (typeof PreflightCodes)[keyof typeof PreflightCodes];

/** A pre-flight finding; `field` is the spec path to change (e.g. `restore.DBSubnetGroupName`). */
export function preflightFinding(
  code: PreflightCode | SourceCode,
  severity: FindingSeverity,
  field: string,
  message: string,
  fix: string,
): ValidationFinding {
  return { code, severity, path: field, message, fix };
}

/** The warning for a check the caller may not run: names the missing permission and the field. */
export function permissionWarning(permission: string, field: string, err: unknown): ValidationFinding {
  return preflightFinding(
    PreflightCodes.PermissionMissing,
    'warning',
    field,
    `Could not check ${field}: the caller is not allowed ${permission} (${awsErrorFacts(err).message}).`,
    `Grant ${permission} to the worker's principal, or check ${field} by hand before starting.`,
  );
}

/**
 * Runs one read-only check; when the caller lacks `permission` (an AccessDenied from the service) the result is
 * a warning that names it and the field the check was about. Any other error propagates.
 */
export async function guarded(
  permission: string,
  field: string,
  check: () => Promise<ValidationFinding[]>,
): Promise<ValidationFinding[]> {
  try {
    return await check();
  } catch (err) {
    if (!isAccessDeniedError(err)) throw err;
    return [permissionWarning(permission, field, err)];
  }
}

/**
 * Runs an advisory check of a service other than RDS (IAM, KMS): when that service cannot be reached or keeps
 * failing after the SDK's own retries (network, throttling, 5xx), the result is a warning that names the
 * service, the error and the field left unchecked, so a worker without a route to IAM (IAM has no VPC endpoint
 * in most Regions) still migrates, and says what it did not check. Other errors propagate.
 */
export async function reachable(
  service: string,
  field: string,
  check: () => Promise<ValidationFinding[]>,
): Promise<ValidationFinding[]> {
  try {
    return await check();
  } catch (err) {
    if (!isTransientAwsError(err)) throw err;
    const { name, message } = awsErrorFacts(err);
    return [
      preflightFinding(
        PreflightCodes.CheckUnavailable,
        'warning',
        field,
        `Could not check ${field}: ${service} did not answer (${name}: ${message}).`,
        `Let the worker reach ${service} (endpoint, proxy or network route), or check ${field} by hand before starting.`,
      ),
    ];
  }
}
