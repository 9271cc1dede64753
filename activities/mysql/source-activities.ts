/**
 * The source-side activities of catch-up and cutover, over a connection opened per call as
 * `replication.source.user` (password read inside the activity, never in history). The privileges the freeze
 * needs are listed in `source-freeze.ts`.
 */
import type { ReplicationSource, SourceFreeze, SourcePosition } from '../../workflows/replication-types';
import type { ValidationFinding } from '../../workflows/types';
import type { SecretsClientFor } from '../secrets';
import { connectSource, withConnection } from './connect';
import { disarm, freeze, readState, unfreeze } from './source-freeze';
import { preflightSource, type PreflightSourceInput } from './source-preflight';

/** Dependencies of the source activities. */
export interface SourceActivityDeps {
  /** Secrets Manager clients by Region, for `replication.source.passwordSecretArn`. */
  secrets: SecretsClientFor;
}

/** Input of freezeSource. */
export interface FreezeSourceInput {
  /** Names the guard event on the source, so a retry finds its own. */
  workflowId: string;
  source: ReplicationSource;
  /** How long the source may stay read-only: the guard event is due this long after it is armed. */
  freezeTimeoutMs: number;
}

/** Input of disarmFreezeGuard and unfreezeSource. */
export interface SourceGuardInput {
  workflowId: string;
  source: ReplicationSource;
}

/** Result of unfreezeSource. */
export interface UnfreezeResult {
  /** ISO 8601: when the source accepted writes again. */
  at: string;
  /** False when it was writable already (a retry, or the guard fired first). */
  wasReadOnly: boolean;
}

/** Result of readSourceState. */
export interface SourceState {
  position: SourcePosition;
  readOnly: boolean;
  superReadOnly: boolean;
}

/** Builds preflightSource, freezeSource, disarmFreezeGuard, unfreezeSource and readSourceState. */
export function createSourceActivities({ secrets }: SourceActivityDeps) {
  return {
    /** Checks the source of `spec.replication` (read-only); unreachable or refused is a finding, not a failure. */
    preflightSource: (input: PreflightSourceInput): Promise<{ findings: ValidationFinding[] }> =>
      preflightSource(secrets, input),
    /** Arms the dead-man switch, freezes (super_read_only), reads the final position. Idempotent. */
    freezeSource: (input: FreezeSourceInput): Promise<SourceFreeze> =>
      withConnection(connectSource(secrets, input.source), (open) => freeze(open, input)),
    /** The commit point: removes the guard, leaves the source read-only. Idempotent. */
    disarmFreezeGuard: (input: SourceGuardInput): Promise<void> =>
      withConnection(connectSource(secrets, input.source), (open) => disarm(open, input.workflowId)),
    /** The compensation: writable again, guard removed. Idempotent. */
    unfreezeSource: (input: SourceGuardInput): Promise<UnfreezeResult> =>
      withConnection(connectSource(secrets, input.source), (open) => unfreeze(open, input.workflowId)),
    /** The source's position and read-only switches. */
    readSourceState: (input: { source: ReplicationSource }): Promise<SourceState> =>
      withConnection(connectSource(secrets, input.source), (open) => readState(open)),
  };
}
