/** The ETA accuracy table of benchmark 1: absolute error of the prediction at 25 %, 50 % and 75 % of each restore. */
import { PROBE_FRACTIONS, type EtaProbe } from './eta-probes';
import { STRATEGY_LABELS } from './noticing-types';
import { simSeconds, type TimeScale } from './settings';
import { fixed, formatSim, percentile, table } from './stats';

/** Markdown of the table; `flips` are the real epoch ms each cluster became available. */
export function renderEta(
  probes: EtaProbe[],
  flips: Map<string, number>,
  durations: Map<string, number>,
  scale: TimeScale,
): string {
  const rows: string[][] = [];
  for (const strategy of [...new Set(probes.map((p) => p.strategy))]) {
    for (const fraction of PROBE_FRACTIONS) {
      const mine = probes.filter((p) => p.strategy === strategy && p.fraction === fraction);
      const errors: number[] = [];
      const relative: number[] = [];
      for (const p of mine) {
        const flip = flips.get(p.clusterId);
        if (p.expectedAtMs === undefined || flip === undefined) continue;
        const error = Math.abs(simSeconds(scale, p.expectedAtMs - flip));
        errors.push(error);
        relative.push((100 * error) / (durations.get(p.clusterId) ?? NaN));
      }
      const bases = [...new Set(mine.map((p) => p.basis ?? 'none'))].join(', ');
      rows.push([
        STRATEGY_LABELS[strategy] ?? strategy,
        `${fraction * 100} %`,
        `${errors.length}/${mine.length}`,
        formatSim(percentile(errors, 50)),
        formatSim(percentile(errors, 95)),
        `${fixed(percentile(relative, 50), 1)} %`,
        `${fixed(percentile(relative, 95), 1)} %`,
        bases,
      ]);
    }
  }
  return table(
    [
      'Ours',
      'at',
      'with an ETA',
      'median |error|',
      'p95 |error|',
      'median, % of duration',
      'p95, % of duration',
      'basis',
    ],
    rows,
  );
}
