/**
 * `watchReplication`: ONE long activity for the whole catch-up, so the workflow's history stays flat however
 * long it takes. Every `statusIntervalMs` it reads the writer's replica status and the source's position,
 * heartbeats the read (with the trend, so a retry on another worker resumes it), and signals it to the workflow
 * when something changed or a minute passed. `until: 'caught-up'` returns after CUTOVER_CONSECUTIVE_READS reads
 * at or under `maxLagSeconds` with both threads running; `until: 'cancelled'` runs until the workflow cancels it
 * (the cancellation arrives with the next heartbeat, at most a second away). A stopped thread fails it with
 * non-retryable `ReplicationStopped` carrying the explanation.
 */
import { Context, log } from '@temporalio/activity';
import {
  CUTOVER_CONSECUTIVE_READS,
  type ReplicationLag,
  type ReplicationMode,
  type ReplicationSource,
  type SourcePosition,
} from '../../workflows/replication-types';
import { recordReplicationLag } from '../metrics';
import type { SecretsClientFor } from '../secrets';
import { connectSource, connectWriter, withConnection, type OpenConnection, type WriterLogin } from './connect';
import { measureLag, worthReporting, type LagTrend } from './replication-lag';
import { readSourcePosition } from './source-position';
import { blockingStop, notReplicating, ReplicaStatusReader, replicationStopped } from './writer-replication';

/** Sends one read of replication to the migration's workflow (the `replicationObserved` signal). */
export type ReplicationReporter = (workflowId: string, lag: ReplicationLag) => Promise<void>;

/** Input of watchReplication. */
export interface WatchReplicationInput {
  workflowId: string;
  /** The cluster, as the `cluster` label of the replication lag gauge (absent: the gauge is not set). */
  clusterId?: string;
  writer: WriterLogin;
  source: ReplicationSource;
  mode: ReplicationMode;
  until: 'caught-up' | 'cancelled';
  maxLagSeconds: number;
  /** Milliseconds between reads. */
  statusIntervalMs: number;
}

/** What each heartbeat carries: the last read and the trend a retry resumes from. */
export interface WatchBeat {
  lag: ReplicationLag;
  trend: LagTrend;
}

/** Heartbeats at least this often while waiting between reads, so a cancellation is noticed promptly. */
const BEAT_MS = 1000;

/** Watches replication; see the module comment. */
export async function watchReplication(
  deps: { secrets: SecretsClientFor; reportReplication?: ReplicationReporter },
  input: WatchReplicationInput,
): Promise<ReplicationLag> {
  const context = Context.current();
  const resumed = context.info.heartbeatDetails as WatchBeat | undefined;
  let trend = resumed?.trend;
  let reported: { lag: ReplicationLag; atMs: number } | undefined;
  const source = new SourcePositionReader(deps.secrets, input.source);
  try {
    return await withConnection(connectWriter(deps.secrets, input.writer), async (writer) => {
      const reader = new ReplicaStatusReader(writer);
      for (;;) {
        const reading = await reader.read();
        if (!reading) throw notReplicating(writer);
        const stop = blockingStop(reading.status);
        if (stop) throw replicationStopped(stop, writer);
        const now = new Date();
        const measured = measureLag({
          status: reading.status,
          mode: input.mode,
          maxLagSeconds: input.maxLagSeconds,
          source: await source.read(),
          previous: trend,
          now,
        });
        trend = measured.trend;
        const beat: WatchBeat = { lag: measured.lag, trend };
        context.heartbeat(beat);
        if (input.clusterId && measured.lag.secondsBehind !== null) {
          recordReplicationLag(context.metricMeter, input.clusterId, measured.lag.secondsBehind);
        }
        if (deps.reportReplication && worthReporting(measured.lag, reported, now.getTime())) {
          await deps.reportReplication(input.workflowId, measured.lag);
          reported = { lag: measured.lag, atMs: now.getTime() };
        }
        if (input.until === 'caught-up' && measured.lag.consecutiveUnderMax >= CUTOVER_CONSECUTIVE_READS) {
          return measured.lag;
        }
        await pause(context, input.statusIntervalMs, beat);
      }
    });
  } finally {
    await source.close();
  }
}

/** Waits `ms`, heartbeating every second; rejects with CancelledFailure as soon as the activity is cancelled. */
export async function pause(context: Context, ms: number, beat: unknown): Promise<void> {
  let left = Math.max(0, ms);
  do {
    const slice = Math.min(left, BEAT_MS);
    await context.sleep(slice);
    context.heartbeat(beat);
    left -= slice;
  } while (left > 0);
}

/**
 * The source's position for "bytes/transactions behind", over one connection kept for the watch. Best effort:
 * the writer's status alone decides caught-up, so a source the worker cannot reach only leaves the numbers out.
 */
class SourcePositionReader {
  private open: OpenConnection | undefined;
  private warned = false;

  constructor(
    private readonly secrets: SecretsClientFor,
    private readonly source: ReplicationSource,
  ) {}

  async read(): Promise<SourcePosition | undefined> {
    try {
      this.open ??= await connectSource(this.secrets, this.source);
      return await readSourcePosition(this.open);
    } catch (err) {
      if (!this.warned) {
        log.warn('The source position could not be read; lag is shown without bytes behind', {
          error: err instanceof Error ? err.message : String(err),
        });
        this.warned = true;
      }
      await this.close();
      return undefined;
    }
  }

  async close(): Promise<void> {
    const open = this.open;
    this.open = undefined;
    await open?.connection.end().catch(() => open.connection.destroy());
  }
}
