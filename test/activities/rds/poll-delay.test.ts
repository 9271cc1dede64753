import { nextPollDelay } from '../../../activities/rds/poll-delay';
import { predictRestore } from '../../../activities/rds/restore-eta';
import { DEFAULT_RESTORE_MODEL, fitRestoreModel } from '../../../activities/rds/restore-throughput';

const MIN = 60_000;
const MAX = 15 * 60_000;
const at = (random: number, nowMs: number, expectedAtMs?: number, deadlineMs?: number) =>
  nextPollDelay({ minMs: MIN, maxMs: MAX, nowMs, expectedAtMs, deadlineMs, random: () => random });

describe('the next poll delay', () => {
  test('is a third of the time left, jittered by at most 15 %, capped at maxPollInterval', () => {
    const hour = 3_600_000;
    expect(at(0.5, 0, 30 * 60_000)).toBe(10 * 60_000);
    expect(at(0, 0, 30 * 60_000)).toBe(Math.round(10 * 60_000 * 0.85));
    expect(at(0.9999, 0, 30 * 60_000)).toBeLessThanOrEqual(Math.round(10 * 60_000 * 1.15));
    expect(at(0.5, 0, 5 * hour)).toBe(MAX);
  });

  test('is never below pollInterval: near the end, at the floor plus 0 to 15 % jitter', () => {
    expect(at(0, 0, 30_000)).toBe(MIN);
    expect(at(0.9999, 0, 30_000)).toBeLessThanOrEqual(MIN * 1.15);
    expect(at(0.5, 0)).toBeGreaterThanOrEqual(MIN);
    const spread = new Set([0.1, 0.4, 0.8].map((r) => at(r, 0)));
    expect(spread.size).toBe(3);
  });

  test('grows with the overrun past the predicted end (an eighth of it)', () => {
    expect(at(0.5, 80 * 60_000, 0)).toBe(10 * 60_000);
  });

  test('never puts a read after the wait deadline, nor below the floor for it', () => {
    expect(at(0.5, 0, 30 * 60_000, 2 * 60_000)).toBe(2 * 60_000);
    expect(at(0.5, 0, 30 * 60_000, 10_000)).toBe(MIN);
  });
});

describe('the restore prediction', () => {
  const base = { startedAtMs: 0, backupBytes: 10 * 1024 ** 3, model: DEFAULT_RESTORE_MODEL };

  test("uses PercentProgress's rate between two readings when RDS reports it", () => {
    const eta = predictRestore({
      ...base,
      nowMs: 40_000,
      percentProgress: '30',
      anchor: { atMs: 20_000, percent: 10 },
    });
    // 20 % in 20 s: 70 % more takes 70 s.
    expect(eta).toEqual({
      expectedAt: new Date(110_000).toISOString(),
      expectedSeconds: 110,
      basis: 'percent-progress',
    });
  });

  test('ignores an absent, malformed or tiny PercentProgress and falls back on size and throughput', () => {
    for (const percentProgress of [undefined, '', 'n/a', '2']) {
      const eta = predictRestore({ ...base, nowMs: 1000, percentProgress });
      // 600 s fixed + 10 GiB at 100 MiB/s = 600 + 102.4 s.
      expect(eta.basis).toBe('default-throughput');
      expect(eta.expectedSeconds).toBe(702);
    }
  });

  test('fits fixed part and rate to completed restores of different sizes', () => {
    const MiB = 1024 * 1024;
    const samples = [2, 8, 20].map((mib) => ({ bytes: mib * MiB, ms: 3000 + mib * 1000 }));
    const model = fitRestoreModel(samples, DEFAULT_RESTORE_MODEL);
    expect(model.samples).toBe(3);
    expect(model.fixedMs).toBeCloseTo(3000, 0);
    expect(model.bytesPerSecond).toBeCloseTo(MiB, -2);
  });

  test('scales the default through the mean when all samples have one size', () => {
    const model = fitRestoreModel([{ bytes: 1024 ** 3, ms: 2 * 610_240 }], DEFAULT_RESTORE_MODEL);
    expect(model.fixedMs + (1024 ** 3 / model.bytesPerSecond) * 1000).toBeCloseTo(2 * 610_240, 0);
  });
});
