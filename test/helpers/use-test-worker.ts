/**
 * The opening most workflow tests share: a worker in this process for the whole `describe` (or file), started
 * before its tests and stopped after them.
 */
import { startTestWorker, type TestWorker } from './migration';

/**
 * Registers beforeAll/afterAll hooks in the calling scope that start a worker (see `startTestWorker`) and stop
 * it. The returned worker's members can be used inside tests and hooks that run after that beforeAll.
 */
export function useTestWorker(options: { emulatorEndpoint?: string; env?: Record<string, string> } = {}): TestWorker {
  let started: TestWorker | undefined;
  beforeAll(async () => {
    started = await startTestWorker(options);
  });
  afterAll(async () => {
    await started?.stop();
  });
  const current = (): TestWorker => {
    if (!started) throw new Error('the test worker is not running: use it inside a test, after beforeAll');
    return started;
  };
  return {
    get config() {
      return current().config;
    },
    get client() {
      return current().client;
    },
    get worker() {
      return current().worker;
    },
    stop: async () => {
      const running = current();
      started = undefined;
      await running.stop();
    },
  };
}
