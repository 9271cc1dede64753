/**
 * The next status read's delay, chosen per read (`ApplicationFailure.nextRetryDelay`) instead of a fixed
 * interval: sparse while the predicted end is far, denser as it nears, at the floor around and after it.
 * Each delay is a third of the time left, so a restore predicted hours away costs a dozen reads, and an accurate
 * prediction is met within one floor interval. Jittered (the server adds none) so that a fleet does not read in
 * lock-step, and never below the floor, never past the wait's deadline.
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
/** After the predicted end has passed, the delay grows with the overrun (by this share of it). */
const SHARE_OF_OVERRUN = 1 / 4;
/** ±15 %. */
const JITTER = 0.15;

/** Milliseconds until the next read. */
export function nextPollDelay(input: PollDelayInput): number {
  const { minMs, maxMs, nowMs, expectedAtMs } = input;
  let base: number;
  if (expectedAtMs === undefined) base = minMs;
  else if (expectedAtMs > nowMs) base = (expectedAtMs - nowMs) * SHARE_OF_REMAINING;
  else base = (nowMs - expectedAtMs) * SHARE_OF_OVERRUN;
  const jittered = base * (1 - JITTER + 2 * JITTER * input.random());
  let delay = Math.min(maxMs, Math.max(minMs, jittered));
  if (input.deadlineMs !== undefined) delay = Math.min(delay, Math.max(minMs, input.deadlineMs - nowMs));
  return Math.round(delay);
}
