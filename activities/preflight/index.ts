/**
 * The pre-flight activity: read-only checks of the AWS environment a migration needs, run before anything is
 * created and before the backup validation reads S3: the worker's Region first, then RDS (catalogue, groups,
 * identifiers, quotas), KMS (the spec's keys) and IAM (the ingestion role's trust and permissions on the
 * backup). Reported as findings in the backup report's shape, with the exact create requests the migration
 * would send (password redacted).
 */
import type { IAMClient } from '@aws-sdk/client-iam';
import type { KMSClient } from '@aws-sdk/client-kms';
import type { CreateDBInstanceCommandInput, RDSClient, RestoreDBClusterFromS3CommandInput } from '@aws-sdk/client-rds';
import type { S3Client } from '@aws-sdk/client-s3';
import type { MigrationInput, ValidationFinding } from '../../workflows/types';
import { classifyAwsError } from '../aws-errors';
import { buildInstanceRequest, buildRestoreRequest, REDACTED, redactRestoreRequest } from '../rds/requests';
import { checkBackupKey } from './backup-key-check';
import { preflightFinding, PreflightCodes, reachable } from './findings';
import { checkIngestionPermissions, ingestionNeeds } from './iam-permission-checks';
import { checkIngestionRole } from './iam-role-checks';
import { kmsChecks } from './kms-checks';
import { checkRds } from './rds-checks';
import { preflightRdsReads, type SharedRdsReaders } from './rds-reads';
import { readBackupEncryption } from './s3-encryption';

export { PreflightCodes, type PreflightCode } from './findings';
export { checkAccountQuotas, type QuotaDemand, type QuotaFields } from './quota-check';
export { ownRdsReaders, type SharedRdsReaders } from './rds-reads';

/** The clients the pre-flight reads through. */
export interface PreflightDeps {
  rds: RDSClient;
  iam: IAMClient;
  kms: KMSClient;
  s3: S3Client;
  /**
   * The worker's shared catalogue answers and batched status readers, so that a burst of pre-flights shares its
   * RDS calls (see `createActivities`). Default: readers of this one run.
   */
  rdsReaders?: SharedRdsReaders;
}

/** Input of `preflight`. */
export interface PreflightInput {
  spec: MigrationInput;
  /** The migration's workflow ID: resources tagged with it count as ours, and it goes into the requests. */
  workflowId: string;
}

/** Result of `preflight`. */
export interface PreflightReport {
  /** False when any finding is an error: the migration must not create anything. */
  ok: boolean;
  /** True when the worker serves another Region than the spec's: nothing else was checked, S3 was not read. */
  regionMismatch: boolean;
  /** True when every error is an identifier taken by a resource that is not ours (the workflow's ResourceConflict). */
  identifierConflict: boolean;
  findings: ValidationFinding[];
  /** The requests the migration would send, built by the same function the activities use. */
  requests: { restoreCluster: RestoreDBClusterFromS3CommandInput; createInstances: CreateDBInstanceCommandInput[] };
}

/** Runs every pre-flight check; throws only for infrastructure errors (classified at the AWS boundary). */
export async function runPreflight(deps: PreflightDeps, input: PreflightInput): Promise<PreflightReport> {
  const { spec, workflowId } = input;
  const findings: ValidationFinding[] = [];
  const workerRegion = await deps.rds.config.region().catch(() => undefined);
  const regionMismatch = workerRegion !== spec.region;
  if (!workerRegion) {
    findings.push(
      preflightFinding(
        PreflightCodes.RegionMismatch,
        'error',
        'region',
        `The spec is for Region ${spec.region} but no AWS Region is configured here.`,
        `Set AWS_REGION=${spec.region} (or a profile's region) for the worker and the CLI.`,
      ),
    );
  } else if (regionMismatch) {
    findings.push(
      preflightFinding(
        PreflightCodes.RegionMismatch,
        'error',
        'region',
        `The spec is for Region ${spec.region} but this worker's AWS clients are in ${workerRegion}.`,
        `Run a worker with AWS_REGION=${spec.region} on its own task queue, or fix the spec's region.`,
      ),
    );
  } else {
    try {
      const groups = await Promise.all([
        checkRds(preflightRdsReads(deps.rds, deps.rdsReaders), spec, workflowId),
        ...kmsChecks(deps.kms, spec),
        reachable('IAM', 'restore.S3IngestionRoleArn', () => checkIam(deps, spec)),
      ]);
      findings.push(...groups.flat());
    } catch (err) {
      throw classifyAwsError(err, { operation: `pre-flight checks of cluster ${spec.restore.DBClusterIdentifier}` });
    }
  }
  const clusterId = spec.restore.DBClusterIdentifier.toLowerCase();
  const errors = findings.filter((f) => f.severity === 'error');
  const taken: string[] = [PreflightCodes.ClusterIdentifierTaken, PreflightCodes.InstanceIdentifierTaken];
  return {
    ok: errors.length === 0,
    regionMismatch,
    identifierConflict: errors.length > 0 && errors.every((f) => taken.includes(f.code)),
    findings,
    requests: {
      // A password named by secret is read only when the restore runs: the printed request shows where it goes.
      restoreCluster: redactRestoreRequest(
        buildRestoreRequest(spec.restore, workflowId, spec.restore.MasterUserPasswordSecretArn ? REDACTED : undefined),
      ),
      createInstances: spec.instances.map((i) => buildInstanceRequest(i, clusterId, workflowId)),
    },
  };
}

/**
 * The ingestion role: exists and trusts RDS, then may read the backup (and decrypt it when SSE-KMS, with a key
 * that exists and is enabled).
 */
async function checkIam(deps: PreflightDeps, spec: MigrationInput): Promise<ValidationFinding[]> {
  const roleArn = spec.restore.S3IngestionRoleArn;
  const [role, encryption] = await Promise.all([
    checkIngestionRole(deps.iam, spec),
    readBackupEncryption(deps.s3, spec),
  ]);
  const findings = [...role.findings, ...encryption.findings];
  // The objects' key is checked whatever the role check found: a key nobody can use fails the restore either way.
  const backupKey =
    encryption.kmsKeyArn && encryption.sampleKey
      ? checkBackupKey(deps.kms, encryption.kmsKeyArn, `s3://${spec.restore.S3BucketName}/${encryption.sampleKey}`)
      : Promise.resolve([]);
  if (!role.roleName) return [...findings, ...(await backupKey)];
  const prefix = spec.restore.S3Prefix ? spec.restore.S3Prefix.replace(/\/?$/, '/') : '';
  const needs = ingestionNeeds(roleArn, {
    bucket: spec.restore.S3BucketName,
    prefix,
    sampleKey: encryption.sampleKey ?? `${prefix}xtrabackup_checkpoints`,
    kmsKeyArn: encryption.kmsKeyArn,
  });
  const [permissions, keyFindings] = await Promise.all([
    checkIngestionPermissions(deps.iam, roleArn, role.roleName, needs),
    backupKey,
  ]);
  findings.push(...permissions, ...keyFindings);
  return findings;
}

/** Builds the pre-flight activity over the given clients. */
export function createPreflightActivities(deps: PreflightDeps) {
  return { preflight: (input: PreflightInput) => runPreflight(deps, input) };
}
