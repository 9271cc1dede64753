/**
 * One read of replication as progress shows it (`ReplicationLag`): the writer's replica status against the
 * source's current position, how far behind in bytes (same binlog file) or transactions (GTID mode), the run of
 * consecutive reads under the automatic cutover's bound, and an ETA from the lag's trend. Pure: no I/O, so the
 * trend can travel in heartbeat details and survive a retry on another worker.
 */
import {
  CUTOVER_CONSECUTIVE_READS,
  type ReplicationLag,
  type ReplicationMode,
  type SourcePosition,
} from '../../workflows/replication-types';
import { missingTransactions } from './gtid-sets';
import type { ReplicaStatus } from './replica-status';

/** What the next read builds on: recent lag samples and the run of reads under the bound. */
export interface LagTrend {
  /** Recent `[epoch ms, Seconds_Behind]` pairs, oldest first. */
  samples: Array<[number, number]>;
  consecutiveUnderMax: number;
}

/** How many samples the ETA's trend spans. */
const TREND_SAMPLES = 6;
/** A read is reported when nothing changed only if this long has passed since the last report. */
export const REPORT_EVERY_MS = 60_000;

/** Input of measureLag. */
export interface MeasureLagInput {
  status: ReplicaStatus;
  mode: ReplicationMode;
  maxLagSeconds: number;
  /** The source's position, when it could be read. */
  source?: SourcePosition;
  previous?: LagTrend;
  now: Date;
}

/** Builds the progress view of one read and the trend for the next. */
export function measureLag(input: MeasureLagInput): { lag: ReplicationLag; trend: LagTrend } {
  const { status, source, now } = input;
  const running = status.ioRunning === 'Yes' && status.sqlRunning === 'Yes';
  const under = running && status.secondsBehind !== null && status.secondsBehind <= input.maxLagSeconds;
  const consecutiveUnderMax = under ? (input.previous?.consecutiveUnderMax ?? 0) + 1 : 0;
  const samples = [...(input.previous?.samples ?? [])];
  if (status.secondsBehind !== null) samples.push([now.getTime(), status.secondsBehind]);
  while (samples.length > TREND_SAMPLES) samples.shift();
  const executed =
    status.executedFile !== undefined && status.executedPosition !== undefined
      ? { file: status.executedFile, position: status.executedPosition }
      : undefined;
  const lag: ReplicationLag = {
    at: now.toISOString(),
    ioRunning: status.ioRunning,
    sqlRunning: status.sqlRunning,
    secondsBehind: status.secondsBehind,
    consecutiveUnderMax,
    ...(executed ? { executed } : {}),
    ...(source ? { source } : {}),
  };
  if (source && executed && executed.file === source.file) {
    lag.bytesBehind = Math.max(0, source.position - executed.position);
  }
  if (source && input.mode === 'gtid' && source.gtidExecuted) {
    lag.transactionsBehind = missingTransactions(status.executedGtidSet, source.gtidExecuted);
  }
  const eta = caughtUpEta(running ? samples : []);
  if (eta) lag.caughtUpEta = eta;
  return { lag, trend: { samples, consecutiveUnderMax } };
}

/** Now when the lag is 0; else where the falling trend reaches 0; undefined while it is not falling. */
function caughtUpEta(samples: Array<[number, number]>): string | undefined {
  const last = samples[samples.length - 1];
  if (!last) return undefined;
  if (last[1] === 0) return new Date(last[0]).toISOString();
  const first = samples[0]!;
  if (first === last || first[1] <= last[1] || last[0] <= first[0]) return undefined;
  const fallPerMs = (first[1] - last[1]) / (last[0] - first[0]);
  return new Date(last[0] + last[1] / fallPerMs).toISOString();
}

/**
 * Whether a read is worth a signal to the workflow: the first one; a change of a thread's state; a change of
 * the lag that matters (to or from NULL, or by at least 2 s and a fifth of it); a step of the run under the bound
 * until it reaches CUTOVER_CONSECUTIVE_READS; otherwise once a minute. So a replication that keeps up under a
 * steady load (lag wavering between 0 and 1 s, the run growing) adds about one history event a minute, however
 * long the workflow waits for its cutover.
 */
export function worthReporting(
  lag: ReplicationLag,
  last: { lag: ReplicationLag; atMs: number } | undefined,
  nowMs: number,
): boolean {
  if (!last) return true;
  if (nowMs - last.atMs >= REPORT_EVERY_MS) return true;
  const before = last.lag;
  const run = (l: ReplicationLag) => Math.min(l.consecutiveUnderMax, CUTOVER_CONSECUTIVE_READS);
  return (
    lag.ioRunning !== before.ioRunning ||
    lag.sqlRunning !== before.sqlRunning ||
    lagMoved(before.secondsBehind, lag.secondsBehind) ||
    run(lag) !== run(before)
  );
}

function lagMoved(before: number | null, now: number | null): boolean {
  if (before === null || now === null) return before !== now;
  const change = Math.abs(now - before);
  return change >= 2 && change >= before / 5;
}
