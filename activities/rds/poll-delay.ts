/**
 * The next status read's delay, chosen per read (`ApplicationFailure.nextRetryDelay`) instead of a fixed
 * interval: sparse while the predicted end is far, denser as it nears, at the floor around it.
 * Each delay is a third of the time left, so a restore predicted hours away costs a dozen reads, and an accurate
 * prediction is met within one floor interval. Jittered (the server adds none) so that a fleet does not read in
 * lock-step, never below the floor, never above the ceiling, never past the wait's deadline.
 */

/** The wait's cadence limits, from the spec's options. */
export interface PollLimits {
  /** The densest cadence (`options.pollInterval`); Temporal's guidance for this pattern is 1 minute or more. */
  minMs: number;
  /** The sparsest (`options.maxPollInterval`). */
  maxMs: number;
}

/** What the delay is chosen from. */
export interface PollDelayInput extends PollLimits {
  nowMs: number;
  /** Predicted end (epoch ms), when there is a prediction. */
  expectedAtMs?: number;
  /** The wait's deadline (epoch ms): no read is put after it. */
  deadlineMs?: number;
  /** Uniform in [0, 1): the jitter's source. */
  random: () => number;
}

/** Share of the time left to the predicted end that the next read waits. */
const SHARE_OF_REMAINING = 1 / 3;
/**
 * Past the predicted end the prediction was wrong, but not by how much: the delay grows with the overrun (by
 * this share of it), so a restore that overruns by an hour is read every 7.5 minutes, not every minute.
 */
const SHARE_OF_OVERRUN = 1 / 8;
/** ±15 % around the chosen delay; at the floor, 0 to +15 %. */
const JITTER = 0.15;

/** Milliseconds until the next read. */
export function nextPollDelay(input: PollDelayInput): number {
  const { minMs, nowMs, expectedAtMs } = input;
  const maxMs = Math.max(minMs, input.maxMs);
  let base: number;
  if (expectedAtMs === undefined) base = minMs;
  else if (expectedAtMs > nowMs) base = (expectedAtMs - nowMs) * SHARE_OF_REMAINING;
  else base = (nowMs - expectedAtMs) * SHARE_OF_OVERRUN;
  let delay = base * (1 - JITTER + 2 * JITTER * input.random());
  // Below the floor: the floor plus upward jitter, so that reads at the floor do not line up either.
  if (delay < minMs) delay = minMs * (1 + JITTER * input.random());
  delay = Math.min(maxMs, delay);
  if (input.deadlineMs !== undefined) delay = Math.min(delay, Math.max(minMs, input.deadlineMs - nowMs));
  return Math.round(delay);
}
