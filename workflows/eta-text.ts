/**
 * One line about the restore's predicted end, or its actual time beside the prediction once it is over: shared
 * by the Web UI's current details (workflow code) and the CLI's `watch`/`status`, so both say the same thing.
 * Pure: depends on nothing but its input.
 */
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
    const beside = predicted ? ` (predicted ${duration(predicted.expectedSeconds * 1000)})` : '';
    return `took ${duration(state.restore.actualSeconds * 1000)}${beside}`;
  }
  if (!state.eta || state.step !== 'waiting-for-cluster') return undefined;
  const left = Date.parse(state.eta.expectedAt) - nowMs;
  const when = left >= 0 ? `in ${duration(left)}` : `${duration(-left)} ago, still running`;
  return `predicted to end at ${state.eta.expectedAt} (${when}), ${BASIS[state.eta.basis]}`;
}

/** `1h 02m 03s`. */
function duration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  return h ? `${h}h ${pad(m)}m ${pad(s)}s` : m ? `${m}m ${pad(s)}s` : `${s}s`;
}
