/**
 * `awaitExecuted`: waits until the cluster's writer has executed the source up to `target` (the frozen source's
 * final position). Binlog-position mode compares the SQL thread's executed file and position
 * (`Relay_Source_Log_File`/`Exec_Source_Log_Pos`); GTID mode requires the writer's executed GTID set to contain
 * the target's. Never `Seconds_Behind_*` alone: it can read 0 while the I/O thread is behind (facts §3).
 * Heartbeats each read; ends on cancellation; a stopped thread fails with `ReplicationStopped`.
 */
import { Context } from '@temporalio/activity';
import type { ReplicationLag, ReplicationMode, SourcePosition } from '../../workflows/replication-types';
import type { SecretsClientFor } from '../secrets';
import { connectWriter, withConnection, type WriterLogin } from './connect';
import { gtidSetContains } from './gtid-sets';
import type { ReplicaStatus } from './replica-status';
import { measureLag } from './replication-lag';
import { pause } from './watch-replication';
import {
  blockingStop,
  compareBinlogPositions,
  notReplicating,
  ReplicaStatusReader,
  replicationStopped,
} from './writer-replication';

/** Input of awaitExecuted. */
export interface AwaitExecutedInput {
  workflowId: string;
  writer: WriterLogin;
  mode: ReplicationMode;
  target: SourcePosition;
}

/** First and longest pause between reads: short, because the source is read-only while this runs. */
const FIRST_PAUSE_MS = 100;
const LONGEST_PAUSE_MS = 1000;

/** True when the writer has executed everything up to `target`. */
export function hasExecuted(status: ReplicaStatus, mode: ReplicationMode, target: SourcePosition): boolean {
  if (mode === 'gtid') return gtidSetContains(status.executedGtidSet, target.gtidExecuted);
  if (status.executedFile === undefined || status.executedPosition === undefined) return false;
  const executed = { file: status.executedFile, position: status.executedPosition };
  return compareBinlogPositions(executed, target) >= 0;
}

/** Waits for the writer to reach `target`; see the module comment. Returns the read that showed it. */
export async function awaitExecuted(secrets: SecretsClientFor, input: AwaitExecutedInput): Promise<ReplicationLag> {
  const context = Context.current();
  return withConnection(connectWriter(secrets, input.writer), async (writer) => {
    const reader = new ReplicaStatusReader(writer);
    let wait = FIRST_PAUSE_MS;
    for (;;) {
      const reading = await reader.read();
      if (!reading) throw notReplicating(writer);
      const { lag } = measureLag({
        status: reading.status,
        mode: input.mode,
        maxLagSeconds: 0,
        source: input.target,
        now: new Date(),
      });
      context.heartbeat(lag);
      if (hasExecuted(reading.status, input.mode, input.target)) return lag;
      // Checked after the position: a thread that stopped right after executing the target is not a failure.
      const stop = blockingStop(reading.status);
      if (stop) throw replicationStopped(stop, writer);
      await pause(context, wait, lag);
      wait = Math.min(LONGEST_PAUSE_MS, wait * 2);
    }
  });
}
