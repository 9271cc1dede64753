/**
 * One line about the restore's predicted end, or its actual time beside the prediction once it is over: shared
 * by the Web UI's current details (workflow code) and the CLI's `watch`/`status`, so both say the same thing.
 * Pure: depends on nothing but its input.
 */
import { formatSeconds } from './duration-text';
import type { MigrationProgress, RestoreEstimate } from './types';

const BASIS: Record<RestoreEstimate['basis'], string> = {
  'percent-progress': "from RDS's PercentProgress",
  'learned-throughput': "from the backup's size and this deployment's past restores",
  'default-throughput': "from the backup's size and the default throughput (no completed restore yet)",
};

/** `predicted to end at … (in 12m 30s), from …`, `took 41m 10s (predicted 40m 00s)`, or undefined. */
export function describeEta(state: MigrationProgress, nowMs = Date.now()): string | undefined {
  if (state.restore) {
    const predicted = state.restore.lastEstimate ?? state.restore.firstEstimate;
    const beside = predicted ? ` (predicted ${formatSeconds(Math.round(predicted.expectedSeconds))})` : '';
    return `took ${formatSeconds(Math.round(state.restore.actualSeconds))}${beside}`;
  }
  if (!state.eta || state.step !== 'waiting-for-cluster') return undefined;
  const left = Date.parse(state.eta.expectedAt) - nowMs;
  const when =
    left >= 0
      ? `in ${formatSeconds(Math.round(left / 1000))}`
      : `${formatSeconds(Math.round(-left / 1000))} ago, still running`;
  return `predicted to end at ${state.eta.expectedAt} (${when}), ${BASIS[state.eta.basis]}`;
}
