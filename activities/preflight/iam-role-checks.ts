/**
 * The ingestion role's existence and trust (GetRole): `restore.S3IngestionRoleArn` must name a role of the
 * caller's account whose trust policy lets rds.amazonaws.com assume it.
 */
import { GetRoleCommand, type IAMClient } from '@aws-sdk/client-iam';
import type { MigrationInput, ValidationFinding } from '../../workflows/types';
import { isAccessDeniedError, isNotFoundError } from '../aws-errors';
import { permissionWarning, preflightFinding as f, PreflightCodes as C } from './findings';
import { parsePolicyDocument, trustsService } from './policy-evaluator';

const FIELD = 'restore.S3IngestionRoleArn';

/** What the role check found: findings, and the role's name when it exists (for the permission check). */
export interface RoleCheck {
  findings: ValidationFinding[];
  roleName?: string;
}

/** The role name of a role ARN: the last segment of its path (`arn:aws:iam::1:role/path/name` → `name`). */
export function roleNameOf(roleArn: string): string {
  return roleArn.slice(roleArn.lastIndexOf('/') + 1);
}

/**
 * Checks that the role exists, is the one the ARN names, and trusts rds.amazonaws.com. A caller without
 * iam:GetRole gets a warning naming it (and no role name, so the permission check is skipped, not passed).
 */
export async function checkIngestionRole(iam: IAMClient, spec: MigrationInput): Promise<RoleCheck> {
  const arn = spec.restore.S3IngestionRoleArn;
  const roleName = roleNameOf(arn);
  let role;
  try {
    role = (await iam.send(new GetRoleCommand({ RoleName: roleName }))).Role;
  } catch (err) {
    if (isAccessDeniedError(err)) return { findings: [permissionWarning('iam:GetRole', FIELD, err)] };
    if (!isNotFoundError(err)) throw err;
  }
  if (!role || (role.Arn && role.Arn !== arn)) {
    const where = role?.Arn ? ` (this account's role of that name is ${role.Arn})` : '';
    return {
      findings: [
        f(
          C.IngestionRoleNotFound,
          'error',
          FIELD,
          `IAM role ${arn} does not exist in the caller's account${where}: RDS cannot assume it to read the backup.`,
          'Create the role (trusting rds.amazonaws.com, allowed to read the bucket) or fix S3IngestionRoleArn.',
        ),
      ],
    };
  }
  const trust = role.AssumeRolePolicyDocument ? parsePolicyDocument(role.AssumeRolePolicyDocument) : {};
  if (trustsService(trust, 'rds.amazonaws.com')) return { findings: [], roleName };
  return {
    roleName,
    findings: [
      f(
        C.IngestionRoleNotTrusted,
        'error',
        FIELD,
        `IAM role ${arn} does not let rds.amazonaws.com assume it (its trust policy has no Allow of sts:AssumeRole for that service).`,
        'Add to its trust policy: {"Effect":"Allow","Principal":{"Service":"rds.amazonaws.com"},"Action":"sts:AssumeRole"}.',
      ),
    ],
  };
}
