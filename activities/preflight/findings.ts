/**
 * Pre-flight finding codes (stable API, like the backup validator's) and the guard that turns a check the
 * caller may not run into a warning naming the missing permission, never a crash and never a silent pass.
 */
import type { FindingSeverity, ValidationFinding } from '../../workflows/types';
import { isAccessDeniedError } from '../aws-errors';

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
} as const;

/** One pre-flight code. */
export type PreflightCode = (typeof PreflightCodes)[keyof typeof PreflightCodes];

/** A pre-flight finding; `field` is the spec path to change (e.g. `restore.DBSubnetGroupName`). */
export function preflightFinding(
  code: PreflightCode,
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
    `Could not check ${field}: the caller is not allowed ${permission} (${(err as Error)?.message ?? String(err)}).`,
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
