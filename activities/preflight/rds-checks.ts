/**
 * The RDS pre-flight checks, all read-only: the catalogue (engine version, orderable classes), the groups
 * (subnet, parameter, option), identifiers free or already ours, and quotas against what this migration adds
 * (what is already ours, adopted on a re-run, is not new). Each finding names the spec field and the fix.
 */
import type { RDSClient } from '@aws-sdk/client-rds';
import type { MigrationInput, ValidationFinding } from '../../workflows/types';
import { checkAccountQuotas } from './quota-check';
import { catalogueChecks } from './rds-catalogue-checks';
import { groupChecks } from './rds-group-checks';
import { checkOwnership } from './rds-ownership-checks';

/** Every RDS check of `spec`, for migration `workflowId` (whose resources count as ours). */
export async function checkRds(rds: RDSClient, spec: MigrationInput, workflowId: string): Promise<ValidationFinding[]> {
  const [independent, owned] = await Promise.all([
    Promise.all([...catalogueChecks(rds, spec), ...groupChecks(rds, spec)]),
    (async () => {
      const ownership = await checkOwnership(rds, spec, workflowId);
      const quotas = await checkAccountQuotas(rds, spec.region, {
        clusters: ownership.clusterIsOurs ? 0 : 1,
        instances: Math.max(0, spec.instances.length - ownership.instancesOurs),
      });
      return [...ownership.findings, ...quotas];
    })(),
  ]);
  return [...independent.flat(), ...owned];
}
