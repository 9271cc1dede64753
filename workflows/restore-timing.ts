/**
 * The restore's prediction beside what happened, and the sample a completed restore leaves for the deployment's
 * throughput model. Workflow code only (time comes from the workflow clock).
 */
import { upsertMemo } from '@temporalio/workflow';
import { RESTORE_SAMPLE_MEMO } from './ids';
import type { MigrationProgress, RestoreTiming } from './types';

/** The restore's timing, from the RestoreDBClusterFromS3 call (`startedAt`) to the cluster seen available (`endedAt`). */
export function restoreTiming(
  state: MigrationProgress,
  startedAt: string,
  endedAt: string,
  backupBytes: number,
): RestoreTiming {
  const actualSeconds = Math.max(0, Math.round((Date.parse(endedAt) - Date.parse(startedAt)) / 1000));
  const timing: RestoreTiming = { actualSeconds, backupBytes };
  if (state.firstEta) timing.firstEstimate = state.firstEta;
  if (state.eta) {
    timing.lastEstimate = state.eta;
    timing.lastEstimateErrorSeconds = state.eta.expectedSeconds - actualSeconds;
  }
  return timing;
}

/**
 * Stores `{ bytes, ms }` in the memo. Visibility keeps the memo of every closed migration, so every worker of
 * the deployment (any replica, after any restart) learns from it without a store of its own. It holds a size and a
 * duration only, nothing secret.
 */
export function recordRestoreSample(backupBytes: number, actualSeconds: number): void {
  if (!(backupBytes > 0) || !(actualSeconds > 0)) return;
  upsertMemo({ [RESTORE_SAMPLE_MEMO]: { bytes: backupBytes, ms: actualSeconds * 1000 } });
}
