/**
 * The reliability suite's profile (short in CI, full under `npm run test:reliability`) and its figures: one JSON
 * line per test on stdout, and the same records merged into `.tmp/reliability-report.json`.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** `full` when RELIABILITY_PROFILE=full, else the short CI profile. */
export const PROFILE: 'full' | 'ci' = process.env.RELIABILITY_PROFILE === 'full' ? 'full' : 'ci';

/** Whether the full profile is running. */
export const isFull = PROFILE === 'full';

/** Picks the figure of the running profile. */
export function byProfile<T>(ci: T, full: T): T {
  return isFull ? full : ci;
}

/** Where the figures of the last run go. */
export const REPORT_FILE = join(__dirname, '..', '..', '..', '.tmp', 'reliability-report.json');

/** Prints one summary line and records it under `name` in the report file (other tests' records are kept). */
export function reportFigures(name: string, figures: Record<string, unknown>): void {
  const record = { test: name, profile: PROFILE, at: new Date().toISOString(), ...figures };
  console.log(JSON.stringify(record));
  mkdirSync(join(REPORT_FILE, '..'), { recursive: true });
  let report: { results: Record<string, unknown> } = { results: {} };
  try {
    report = JSON.parse(readFileSync(REPORT_FILE, 'utf8')) as typeof report;
    if (typeof report.results !== 'object' || report.results === null) report = { results: {} };
  } catch {
    // First test of the run, or an unreadable file: start a new report.
  }
  report.results[name] = record;
  writeFileSync(REPORT_FILE, JSON.stringify(report, null, 2) + '\n');
}

/** The seed of this run: RELIABILITY_SEED when set (to replay a failure), else a fresh one that is reported. */
export function runSeed(): number {
  const given = Number(process.env.RELIABILITY_SEED);
  return Number.isInteger(given) && given > 0 ? given : Math.floor(Math.random() * 2 ** 31) + 1;
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** `promise`, or a rejection naming `what` after `ms` (the timer is cleared either way, so jest can exit). */
export async function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
