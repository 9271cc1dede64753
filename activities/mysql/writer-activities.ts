/**
 * The cluster (Aurora writer) side of catch-up and cutover, built over injected clients: Secrets Manager for the
 * passwords (read inside each activity, never in its input or result) and the reporter that signals each
 * replication read to the migration's workflow.
 */
import { whileHeartbeating } from '../heartbeat';
import type { SecretsClientFor } from '../secrets';
import { awaitExecuted, type AwaitExecutedInput } from './await-executed';
import { detachReplication, stopReplication, type WriterOnlyInput } from './detach-replication';
import { startReplication, type StartReplicationInput } from './start-replication';
import { verifyTables, type VerifyTablesInput } from './verify-tables';
import { watchReplication, type ReplicationReporter, type WatchReplicationInput } from './watch-replication';

export type { AwaitExecutedInput } from './await-executed';
export type { WriterOnlyInput } from './detach-replication';
export type { StartReplicationInput } from './start-replication';
export type { VerifyTablesInput } from './verify-tables';
export type { ReplicationReporter, WatchReplicationInput } from './watch-replication';

/** Dependencies of the writer activities. */
export interface WriterActivityDeps {
  secrets: SecretsClientFor;
  /** Sends replication reads to the workflow; without it, progress shows lag only when a watch ends. */
  reportReplication?: ReplicationReporter;
}

/** Builds the writer activities. */
export function createWriterActivities({ secrets, reportReplication }: WriterActivityDeps) {
  return {
    // The short ones heartbeat while in flight (a CHECKSUM TABLE of a big table takes a while); the waiting
    // ones heartbeat each read themselves.
    startReplication: (input: StartReplicationInput) => whileHeartbeating(() => startReplication(secrets, input)),
    watchReplication: (input: WatchReplicationInput) => watchReplication({ secrets, reportReplication }, input),
    awaitExecuted: (input: AwaitExecutedInput) => awaitExecuted(secrets, input),
    verifyTables: (input: VerifyTablesInput) => whileHeartbeating(() => verifyTables(secrets, input)),
    stopReplication: (input: WriterOnlyInput) => whileHeartbeating(() => stopReplication(secrets, input)),
    detachReplication: (input: WriterOnlyInput) => whileHeartbeating(() => detachReplication(secrets, input)),
  };
}
