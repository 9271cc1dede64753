/**
 * Cross-field rules of the `replication` section: exactly one form of the replication password, a literal one
 * only when payloads are encrypted, and options that apply only to one cutover mode.
 */
import type { MigrationInput } from '../../workflows/types';
import type { SpecIssue } from './issue';

/** What the parser knows about the deployment that the spec alone does not say. */
export interface ReplicationContext {
  /** True when the client (and so the workers) encrypt payloads (AURORA_MIGRATE_CODEC_KEYS). */
  payloadsEncrypted: boolean;
}

/** Every cross-field problem of the `replication` section (none when it is absent). */
export function checkReplicationCombinations(spec: MigrationInput, context: ReplicationContext): SpecIssue[] {
  const replication = spec.replication;
  if (!replication) return [];
  const issues: SpecIssue[] = [];
  const { source } = replication;
  if (source.password === undefined && source.passwordSecretArn === undefined) {
    issues.push({
      path: 'replication.source.passwordSecretArn',
      message:
        'is required: give the Secrets Manager secret holding the replication password (or, with encrypted payloads, replication.source.password)',
    });
  }
  if (source.password !== undefined && source.passwordSecretArn !== undefined) {
    issues.push({
      path: 'replication.source.password',
      message: 'cannot be given together with passwordSecretArn: set exactly one of them',
    });
  }
  if (source.password !== undefined && !context.payloadsEncrypted) {
    issues.push({
      path: 'replication.source.password',
      message:
        'a literal password would be stored in clear in the workflow history: configure AURORA_MIGRATE_CODEC_KEYS (encrypted payloads) on every worker and client, or use passwordSecretArn',
    });
  }
  const cutover = replication.cutover ?? 'manual';
  if (replication.maxLagSeconds !== undefined && cutover !== 'automatic') {
    issues.push({
      path: 'replication.maxLagSeconds',
      message: 'applies only with cutover: automatic; set cutover to automatic or remove this',
    });
  }
  if (replication.cutoverTimeout !== undefined && cutover !== 'manual') {
    issues.push({
      path: 'replication.cutoverTimeout',
      message: 'applies only with cutover: manual (an automatic cutover waits for lag, not for a person); remove this',
    });
  }
  return issues;
}
