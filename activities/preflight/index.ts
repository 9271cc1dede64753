/**
 * The pre-flight activity: read-only checks of the AWS environment a migration needs (Region, RDS catalogue,
 * identifiers, quotas), run before anything is created, reported as findings in the backup report's shape,
 * together with the exact create requests the migration would send (password redacted).
 */
import type { CreateDBInstanceCommandInput, RDSClient, RestoreDBClusterFromS3CommandInput } from '@aws-sdk/client-rds';
import type { MigrationInput, ValidationFinding } from '../../workflows/types';
import { classifyAwsError } from '../aws-errors';
import { buildInstanceRequest, buildRestoreRequest, REDACTED, redactRestoreRequest } from '../rds/requests';
import { preflightFinding, PreflightCodes } from './findings';
import { checkRds } from './rds-checks';

export { PreflightCodes, type PreflightCode } from './findings';

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
  findings: ValidationFinding[];
  /** The requests the migration would send, built by the same function the activities use. */
  requests: { restoreCluster: RestoreDBClusterFromS3CommandInput; createInstances: CreateDBInstanceCommandInput[] };
}

/** Runs every pre-flight check; throws only for infrastructure errors (classified at the AWS boundary). */
export async function runPreflight(rds: RDSClient, input: PreflightInput): Promise<PreflightReport> {
  const { spec, workflowId } = input;
  const findings: ValidationFinding[] = [];
  const workerRegion = await rds.config.region();
  if (workerRegion !== spec.region) {
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
      findings.push(...(await checkRds(rds, spec, workflowId)));
    } catch (err) {
      throw classifyAwsError(err, { operation: `pre-flight checks of cluster ${spec.restore.DBClusterIdentifier}` });
    }
  }
  const clusterId = spec.restore.DBClusterIdentifier.toLowerCase();
  return {
    ok: !findings.some((f) => f.severity === 'error'),
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

/** Builds the pre-flight activity over the given clients. */
export function createPreflightActivities(deps: { rds: RDSClient }) {
  return { preflight: (input: PreflightInput) => runPreflight(deps.rds, input) };
}
