/**
 * The RDS pre-flight checks, all read-only: the catalogue (engine version, orderable classes), the groups
 * (subnet, parameter, option), identifiers free or already ours, and quotas against what this migration adds
 * (what is already ours, adopted on a re-run, is not new). Each finding names the spec field and the fix.
 */
import type { MigrationInput, ValidationFinding } from '../../workflows/types';
import { readAccountQuotas } from './account-quotas';
import { checkAccountQuotas } from './quota-check';
import { catalogueChecks } from './rds-catalogue-checks';
import { groupChecks } from './rds-group-checks';
import { checkOwnership } from './rds-ownership-checks';
import type { PreflightRdsReads } from './rds-reads';

/** Every RDS check of `spec`, for migration `workflowId` (whose resources count as ours). */
export async function checkRds(
  reads: PreflightRdsReads,
  spec: MigrationInput,
  workflowId: string,
): Promise<ValidationFinding[]> {
  const [independent, owned] = await Promise.all([
    Promise.all([...catalogueChecks(reads, spec), ...groupChecks(reads, spec)]),
    (async () => {
      const ownership = await checkOwnership(reads, spec, workflowId);
      const readQuotas = () => reads.shared.get('account-quotas', () => readAccountQuotas(reads.rds));
      const quotas = await checkAccountQuotas(readQuotas, spec.region, {
        clusters: ownership.clusterIsOurs ? 0 : 1,
        instances: Math.max(0, spec.instances.length - ownership.instancesOurs),
      });
      return [...ownership.findings, ...quotas];
    })(),
  ]);
  return [...independent.flat(), ...owned];
}
