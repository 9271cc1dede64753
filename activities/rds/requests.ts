/**
 * The one place that turns a spec into the RDS create requests. The restore and instance activities send what
 * these build, and the dry run prints what they build, so the printed requests cannot drift from the sent ones.
 */
import type { CreateDBInstanceCommandInput, RestoreDBClusterFromS3CommandInput } from '@aws-sdk/client-rds';
import type { InstanceSpec, RestoreClusterParams } from '../../workflows/types';
import { withOwnerTag } from './summaries';

/**
 * Spec fields of `restore` that are aurora-migrate's own and never reach RDS. Listed so that the "every
 * parameter" test can tell an aurora-migrate extension from a missing SDK parameter.
 */
export const SPEC_ONLY_RESTORE_FIELDS = [
  'MasterUserPasswordSecretArn',
] as const satisfies readonly (keyof RestoreClusterParams)[];

/** One of {@link SPEC_ONLY_RESTORE_FIELDS}. */
export type SpecOnlyRestoreField = (typeof SPEC_ONLY_RESTORE_FIELDS)[number];

/** What replaces a password in a printed request. */
export const REDACTED = '<redacted>';

/**
 * The RestoreDBClusterFromS3 input the migration `workflowId` sends: the spec's parameters plus our ownership tag.
 * `masterUserPassword` is the value read from `MasterUserPasswordSecretArn` at call time (absent in a dry run).
 */
export function buildRestoreRequest(
  params: RestoreClusterParams,
  workflowId: string,
  masterUserPassword?: string,
): RestoreDBClusterFromS3CommandInput {
  const request: RestoreDBClusterFromS3CommandInput = { ...params, Tags: withOwnerTag(params.Tags, workflowId) };
  for (const field of SPEC_ONLY_RESTORE_FIELDS as readonly string[]) Reflect.deleteProperty(request, field);
  if (masterUserPassword !== undefined) request.MasterUserPassword = masterUserPassword;
  return request;
}

/** The CreateDBInstance input for one instance of cluster `clusterId`, tagged with the owning migration. */
export function buildInstanceRequest(
  instance: InstanceSpec,
  clusterId: string,
  workflowId: string,
): CreateDBInstanceCommandInput {
  return {
    ...instance,
    Engine: 'aurora-mysql',
    DBClusterIdentifier: clusterId,
    Tags: withOwnerTag(instance.Tags, workflowId),
  };
}

/** A copy of a restore request safe to print or return: the password, if any, is replaced by {@link REDACTED}. */
export function redactRestoreRequest(request: RestoreDBClusterFromS3CommandInput): RestoreDBClusterFromS3CommandInput {
  return request.MasterUserPassword === undefined ? { ...request } : { ...request, MasterUserPassword: REDACTED };
}
