/**
 * When will a RestoreDBClusterFromS3 finish? From RDS's own `PercentProgress` when it reports a usable one
 * (whether it does during an S3 import is unconfirmed, so nothing depends on it), else from the backup's size
 * and the restore throughput this deployment has seen (see restore-throughput.ts).
 */
import type { RestoreEstimate } from '../../workflows/types';
import type { RestoreModel } from './restore-throughput';

/** An earlier reading of PercentProgress of the same restore. */
export interface ProgressAnchor {
  atMs: number;
  percent: number;
}

/** What a prediction is made from. */
export interface RestoreEtaInput {
  /** When RestoreDBClusterFromS3 was called (epoch ms). */
  startedAtMs: number;
  nowMs: number;
  /** The backup's size in bytes (the validation report's total). */
  backupBytes: number;
  /** `DBCluster.PercentProgress` as RDS sent it, if at all. */
  percentProgress?: string;
  /**
   * The first usable PercentProgress this worker saw of this restore. With it, the rate is measured between the
   * two readings, so a phase before the percentage starts moving (the emulator's, and likely RDS's, `creating`)
   * does not skew it; without it, progress is assumed to have started at the call.
   */
  anchor?: ProgressAnchor;
  model: RestoreModel;
}

/** Progress below this is too coarse to extrapolate from (a first "1" after seconds would predict nonsense). */
export const MIN_USABLE_PERCENT = 5;
/** Two readings closer than this in percent or time say too little about the rate. */
const MIN_ANCHOR_PERCENT = 5;
const MIN_ANCHOR_MS = 1000;

/** A PercentProgress worth predicting from, as a number; undefined when absent, malformed or too small. */
export function usablePercent(percentProgress: string | undefined): number | undefined {
  if (percentProgress === undefined || percentProgress.trim() === '') return undefined;
  const percent = Number(percentProgress);
  return Number.isFinite(percent) && percent >= MIN_USABLE_PERCENT ? Math.min(100, percent) : undefined;
}

/** Predicts the restore's end; `basis` says which input it came from. */
export function predictRestore(input: RestoreEtaInput): RestoreEstimate {
  const percent = usablePercent(input.percentProgress);
  if (percent !== undefined) {
    if (percent >= 100) return estimate(input.nowMs, 'percent-progress', input.startedAtMs);
    const { anchor, nowMs } = input;
    if (anchor && percent - anchor.percent >= MIN_ANCHOR_PERCENT && nowMs - anchor.atMs >= MIN_ANCHOR_MS) {
      const msPerPercent = (nowMs - anchor.atMs) / (percent - anchor.percent);
      return estimate(nowMs + (100 - percent) * msPerPercent, 'percent-progress', input.startedAtMs);
    }
    const elapsed = Math.max(0, nowMs - input.startedAtMs);
    return estimate(input.startedAtMs + (elapsed * 100) / percent, 'percent-progress', input.startedAtMs);
  }
  const { fixedMs, bytesPerSecond, samples } = input.model;
  const predictedMs = fixedMs + (input.backupBytes / bytesPerSecond) * 1000;
  const basis = samples > 0 ? 'learned-throughput' : 'default-throughput';
  return estimate(input.startedAtMs + predictedMs, basis, input.startedAtMs);
}

function estimate(expectedAtMs: number, basis: RestoreEstimate['basis'], startedAtMs: number): RestoreEstimate {
  return {
    expectedAt: new Date(Math.round(expectedAtMs)).toISOString(),
    expectedSeconds: Math.round((expectedAtMs - startedAtMs) / 1000),
    basis,
  };
}
