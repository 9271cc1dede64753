/**
 * Heartbeats while a call is in flight, so that a worker that dies mid-call is noticed within the activity's
 * heartbeatTimeout (seconds) instead of its startToCloseTimeout (minutes), and the call is retried elsewhere.
 */
import { heartbeat } from '@temporalio/activity';

/** Runs `call`, heartbeating every `intervalMs` until it settles. */
export async function whileHeartbeating<T>(call: () => Promise<T>, intervalMs = 2000): Promise<T> {
  heartbeat();
  const timer = setInterval(() => heartbeat(), intervalMs);
  try {
    return await call();
  } finally {
    clearInterval(timer);
  }
}
