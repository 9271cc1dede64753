/** Shapes shared by benchmark 1's runner and its report. */
import { cliWaiter } from '../strategies/cli-waiter';
import { sdkWaiter } from '../strategies/sdk-waiter';
import { terraformWaiter } from '../strategies/terraform';
import type { WatchOutcome } from '../strategies/types';
import { OUR_MODES, type WatchedRestore } from './restore-set';

/** Our modes, re-exported for the report. */
export const OUR_MODES_LIST: readonly string[] = OUR_MODES;

/** Row labels of the strategies, by key. */
export const STRATEGY_LABELS: Record<string, string> = {
  sdk: sdkWaiter.label,
  cli: cliWaiter.label,
  tf: terraformWaiter.label,
  off: 'aurora-migrate workflow, defaults (adaptive, 1 min…15 min), no events',
  on: 'aurora-migrate workflow, defaults (adaptive, 1 min…15 min), PercentProgress + early-wake events',
  pct: 'aurora-migrate workflow, defaults (adaptive, 1 min…15 min), ETA from PercentProgress, no events',
  size: 'aurora-migrate workflow, defaults (adaptive, 1 min…15 min), no PercentProgress: ETA from size + learned throughput, no events',
  fixed30: 'fixed 30 s polling (our old default; the CLI without its 60-attempt cap)',
};

/** One restore as measured. */
export interface Measured {
  w: WatchedRestore;
  outcome: WatchOutcome;
  /** Simulated seconds from the flip to the next step; undefined when never noticed. */
  latency?: number;
  describeCalls: number;
  watchedHours: number;
  /** Simulated seconds between successive DescribeDBClusters calls while waiting. */
  gaps: number[];
}

/** One run of the restore set at one time scale. */
export interface NoticingRun {
  measured: Measured[];
  /** History event counts of ours by `mode:index`. */
  history: Record<string, number>;
  durations: number[];
  scaleLabel: string;
  scaleFactor: number;
  /** Polling period of the EventBridge stand-in, simulated seconds; absent when no mode of ours used events. */
  wakeSeconds?: number;
  realSeconds: number;
  /** Call-log entries lost (should be 0). */
  lost: number;
  wakeDelivered: number;
  /** Strategy keys in table order; default sdk, cli, tf, off, on. */
  keys?: string[];
  /** Which keys are ours; default off, on. */
  ourModes?: readonly string[];
}
