/**
 * Issue 13's targets for one restore, judged from a noticing run: p95 detection latency at most Terraform's (10 s
 * polls), and at most a third of fixed 30 s polling's DescribeDBClusters calls per restore-hour. One line per
 * mode of ours, met or missed with the numbers, so a run states its own verdict.
 */
import type { NoticingRun } from './noticing-types';
import { STRATEGY_LABELS } from './noticing-types';
import { fixed, formatSim, percentile } from './stats';

interface Figures {
  p95: number;
  perHour: number;
}

function figures(run: NoticingRun, key: string): Figures {
  const mine = run.measured.filter((m) => m.w.strategy === key);
  const latencies = mine.flatMap((m) => (m.latency === undefined ? [] : [m.latency]));
  // A restore never noticed counts as infinitely late: a p95 over the noticed ones alone would flatter.
  const all = mine.length === latencies.length ? latencies : [...latencies, Infinity];
  const perHour = mine.reduce((n, m) => n + m.describeCalls, 0) / mine.reduce((h, m) => h + m.watchedHours, 0);
  return { p95: percentile(all, 95), perHour };
}

/** Markdown lines: each of our modes against both targets; empty when the run lacks Terraform or fixed 30 s. */
export function targetLines(run: NoticingRun): string[] {
  const keys = run.keys ?? [];
  if (!keys.includes('tf') || !keys.includes('fixed30')) return [];
  const tf = figures(run, 'tf');
  const fixed30 = figures(run, 'fixed30');
  return (run.ourModes ?? []).map((mode) => {
    const ours = figures(run, mode);
    const latencyMet = ours.p95 <= tf.p95;
    const ratio = ours.perHour / fixed30.perHour;
    const callsMet = ratio <= 1 / 3;
    return (
      `- ${STRATEGY_LABELS[mode] ?? mode}: p95 ${formatSim(ours.p95)} vs Terraform's ${formatSim(tf.p95)} ` +
      `(**${latencyMet ? 'met' : 'missed'}**); ${fixed(ours.perHour)} calls per restore-hour, ` +
      `${fixed(ratio, 2)} of fixed 30 s polling's ${fixed(fixed30.perHour)} (**${callsMet ? 'met' : 'missed'}**, ` +
      'at most 0.33).'
    );
  });
}
