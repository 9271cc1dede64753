/** Stops the servers global setup started, so a test run leaves no process behind. */
import type { Stack } from '../../scripts/stack';

export default async function globalTeardown(): Promise<void> {
  const holder = globalThis as { __AURORA_STACK__?: Stack };
  await holder.__AURORA_STACK__?.stop();
  holder.__AURORA_STACK__ = undefined;
}
