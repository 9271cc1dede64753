/**
 * Benchmark 1c's modes of ours: the defaults (1 min floor) and the same workflow with `options.pollInterval`
 * lowered to 1 s real at the part's time scale (the least the spec accepts), with and without PercentProgress.
 */
import { STRATEGY_LABELS } from './noticing-types';
import type { TimeScale } from './settings';
import type { OurSizedMode } from './sized-restores';

/** The floor in simulated seconds and the modes to run; registers the configured modes' row labels. */
export function noticingFloorModes(scale: TimeScale): { floorSeconds: number; modes: OurSizedMode[] } {
  // 1 s real: the spec's minimum pollInterval (Temporal's timer floor), expressed in simulated seconds.
  const floorSeconds = Math.ceil(1 / scale.factor);
  const polling = { pollSeconds: floorSeconds };
  const cadence = `pollInterval ${floorSeconds} s configured (adaptive, ${floorSeconds} s…15 min)`;
  STRATEGY_LABELS.pctf = `aurora-migrate workflow, ${cadence}, ETA from PercentProgress, no events`;
  STRATEGY_LABELS.sizef =
    `aurora-migrate workflow, ${cadence}, no PercentProgress: ETA from size + learned throughput, ` + 'no events';
  return {
    floorSeconds,
    modes: [
      { key: 'pct', percentProgress: true },
      { key: 'size', percentProgress: false },
      { key: 'pctf', percentProgress: true, polling },
      { key: 'sizef', percentProgress: false, polling },
    ],
  };
}
