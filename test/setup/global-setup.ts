/**
 * Starts the real servers once for the whole jest run and describes them in .tmp/test-stack.json.
 * Lifecycle durations are seconds, not minutes: tests shrink time through configuration, never by mocking.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { startStack } from '../../scripts/stack';
import { STACK_FILE, type TestStack } from '../helpers/stack';

/** Test-run durations of the emulator's lifecycle (ms). */
export const TEST_EMULATOR_TIMINGS = {
  clusterCreatingMs: 1000,
  clusterMigratingMs: 1500,
  instanceCreatingMs: 800,
  instanceConfiguringMs: 400,
  instanceBackingUpMs: 400,
  deletingMs: 500,
};

export default async function globalSetup(): Promise<void> {
  const repoRoot = join(__dirname, '..', '..');
  const runDir = join(repoRoot, '.tmp', 'test-run');
  rmSync(runDir, { recursive: true, force: true });
  mkdirSync(runDir, { recursive: true });
  const stack = await startStack({
    repoRoot,
    dataDir: join(runDir, 'servers'),
    headless: true,
    emulatorTimings: TEST_EMULATOR_TIMINGS,
  });
  (globalThis as { __AURORA_STACK__?: typeof stack }).__AURORA_STACK__ = stack;
  const description: TestStack = {
    temporal: {
      address: stack.temporal.address,
      namespace: stack.temporal.namespace,
      uiUrl: stack.temporal.uiUrl ?? '',
      executable: stack.temporal.executable,
    },
    s3: {
      endpoint: stack.s3.endpoint,
      region: stack.s3.region,
      accessKeyId: stack.s3.accessKeyId,
      secretAccessKey: stack.s3.secretAccessKey,
    },
    emulator: { endpoint: stack.emulator.endpoint },
    scratchDir: join(runDir, 'scratch'),
  };
  mkdirSync(description.scratchDir, { recursive: true });
  mkdirSync(dirname(STACK_FILE), { recursive: true });
  writeFileSync(STACK_FILE, JSON.stringify(description, null, 2));
  writeFileSync(join(runDir, 'pids'), stack.pids.join('\n') + '\n');
}
