/**
 * The benchmark run's settings, read once from the environment: the time scale, quick mode, which benchmarks
 * to run and where the results go.
 */
import { join } from 'node:path';

/** One factor that maps simulated time (the emulator's restores, every strategy's delays) to real time. */
export interface TimeScale {
  /** Real seconds per simulated second, e.g. 1/300. */
  factor: number;
  /** As given, e.g. `1/300`. */
  label: string;
}

/** Everything a benchmark needs to know about this run. */
export interface BenchSettings {
  repoRoot: string;
  /** Logs, buckets and the Temporal log of this run. */
  dataDir: string;
  /** `BENCH_QUICK=1`: a smoke run of a few minutes with smaller sets. */
  quick: boolean;
  scale: TimeScale;
  /** Benchmark numbers to run (`BENCH_ONLY=1,3`); all when unset. */
  only: Set<number>;
  /** Where the markdown goes. @default bench/RESULTS.md */
  outFile: string;
}

/** Parses `1/300` or `0.0033` into a scale; throws naming the variable when it is unusable. */
export function parseTimeScale(raw: string | undefined): TimeScale {
  const text = raw?.trim() || '1/300';
  const [num, den] = text.includes('/') ? text.split('/') : [text, '1'];
  const factor = Number(num) / Number(den);
  if (!Number.isFinite(factor) || factor <= 0 || factor > 1) {
    throw new Error(`BENCH_TIME_SCALE: expected a fraction such as 1/300 (0 < scale ≤ 1), got ${JSON.stringify(text)}`);
  }
  return { factor, label: text };
}

/** Reads the settings from `env`. */
export function loadBenchSettings(env: Record<string, string | undefined>, repoRoot: string): BenchSettings {
  const only = new Set(
    (env.BENCH_ONLY ?? '1,2,3,4,5,6')
      .split(',')
      .map((s) => Number(s.trim()))
      .filter((n) => Number.isInteger(n) && n >= 1 && n <= 6),
  );
  return {
    repoRoot,
    dataDir: env.BENCH_DATA_DIR || join(repoRoot, '.data', `bench-${Date.now().toString(36)}`),
    quick: ['1', 'true', 'yes'].includes((env.BENCH_QUICK ?? '').toLowerCase()),
    scale: parseTimeScale(env.BENCH_TIME_SCALE),
    only,
    outFile: env.BENCH_OUT || join(repoRoot, 'bench', 'RESULTS.md'),
  };
}

/** Real milliseconds of a simulated duration in seconds. */
export function realMs(scale: TimeScale, simSeconds: number): number {
  return simSeconds * 1000 * scale.factor;
}

/** Simulated seconds of a real duration in milliseconds. */
export function simSeconds(scale: TimeScale, realMilliseconds: number): number {
  return realMilliseconds / 1000 / scale.factor;
}

/** Sleeps a simulated duration. */
export function sleepSim(scale: TimeScale, seconds: number): Promise<void> {
  return sleepMs(realMs(scale, seconds));
}

/** Sleeps real milliseconds. */
export function sleepMs(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}
