/**
 * When will a RestoreDBClusterFromS3 finish? From RDS's own `PercentProgress` when it reports a usable one
 * (whether it does during an S3 import is unconfirmed, so nothing depends on it), else from the backup's size
 * and the restore throughput this deployment has seen (see restore-throughput.ts).
 */
import type { RestoreEstimate } from '../../workflows/types';
import type { RestoreModel } from './restore-throughput';

/** What a prediction is made from. */
export interface RestoreEtaInput {
  /** When RestoreDBClusterFromS3 was called (epoch ms). */
  startedAtMs: number;
  nowMs: number;
  /** The backup's size in bytes (the validation report's total). */
  backupBytes: number;
  /** `DBCluster.PercentProgress` as RDS sent it, if at all. */
  percentProgress?: string;
  model: RestoreModel;
}

/** Progress below this is too coarse to extrapolate from (a first "1" after seconds would predict nonsense). */
const MIN_USABLE_PERCENT = 5;

/** Predicts the restore's end; `basis` says which input it came from. */
export function predictRestore(input: RestoreEtaInput): RestoreEstimate {
  const elapsed = Math.max(0, input.nowMs - input.startedAtMs);
  const percent = Number(input.percentProgress);
  if (input.percentProgress !== undefined && Number.isFinite(percent) && percent >= MIN_USABLE_PERCENT) {
    if (percent >= 100) return estimate(input.nowMs, 'percent-progress', input.startedAtMs);
    return estimate(input.startedAtMs + (elapsed * 100) / percent, 'percent-progress', input.startedAtMs);
  }
  const { fixedMs, bytesPerSecond, samples } = input.model;
  const predictedMs = fixedMs + (input.backupBytes / bytesPerSecond) * 1000;
  return estimate(input.startedAtMs + predictedMs, samples > 0 ? 'learned-throughput' : 'default-throughput', input.startedAtMs);
}

function estimate(expectedAtMs: number, basis: RestoreEstimate['basis'], startedAtMs: number): RestoreEstimate {
  return {
    expectedAt: new Date(Math.round(expectedAtMs)).toISOString(),
    expectedSeconds: Math.round((expectedAtMs - startedAtMs) / 1000),
    basis,
  };
}
