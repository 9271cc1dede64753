/**
 * Starts the real servers once for the whole jest run, in a folder of its own (.tmp/runs/<pid>), and describes
 * them in a file named by AURORA_TEST_STACK_FILE. Lifecycle durations are seconds, not minutes: tests shrink
 * time through configuration, never by mocking.
 */
import { appendFileSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EmulatorControl } from '../../emulator/control-client';
import { startStack, type Stack } from '../../scripts/stack';
import { STACK_FILE_VARIABLE, type TestStack } from '../helpers/stack';
import { chooseTestWorkflowBundle } from './workflow-bundle';

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
  const runsDir = join(repoRoot, '.tmp', 'runs');
  removeFinishedRuns(runsDir);
  const runDir = join(runsDir, String(process.pid));
  mkdirSync(runDir, { recursive: true });
  const stack = await startStack({
    repoRoot,
    dataDir: join(runDir, 'servers'),
    headless: true,
    emulatorTimings: TEST_EMULATOR_TIMINGS,
  });
  try {
    await describeStack(stack, repoRoot, runDir);
  } catch (err) {
    // jest runs no global teardown when global setup throws: stop what was started here, or it outlives the run.
    await stack.stop();
    throw err;
  }
}

async function describeStack(stack: Stack, repoRoot: string, runDir: string): Promise<void> {
  (globalThis as { __AURORA_STACK__?: typeof stack }).__AURORA_STACK__ = stack;
  // One account for the whole run: the migrations of every test file add up in the shared emulator, far past
  // RDS's default quotas of 40, which the pre-flight rightly refuses. Tests of quotas use emulators of their own.
  await new EmulatorControl(stack.emulator.endpoint).setQuotas({ DBClusters: 100_000, DBInstances: 100_000 });
  // scripts/test.sh kills these on exit should jest die before its teardown.
  if (process.env.AURORA_TEST_PIDS_FILE)
    appendFileSync(process.env.AURORA_TEST_PIDS_FILE, stack.pids.join('\n') + '\n');
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
    moto: {
      endpoint: stack.moto.endpoint,
      region: stack.moto.region,
      accessKeyId: stack.moto.accessKeyId,
      secretAccessKey: stack.moto.secretAccessKey,
    },
    scratchDir: join(runDir, 'scratch'),
    workflowBundle: await chooseTestWorkflowBundle(repoRoot, runDir),
  };
  mkdirSync(description.scratchDir, { recursive: true });
  const stackFile = join(runDir, 'stack.json');
  writeFileSync(stackFile, JSON.stringify(description, null, 2));
  process.env[STACK_FILE_VARIABLE] = stackFile;
}

/** Deletes the folders of earlier runs whose jest process is gone. */
function removeFinishedRuns(runsDir: string): void {
  mkdirSync(runsDir, { recursive: true });
  for (const name of readdirSync(runsDir)) {
    const pid = Number(name);
    let alive = false;
    try {
      process.kill(pid, 0);
      alive = true;
    } catch {
      alive = false;
    }
    if (!alive) rmSync(join(runsDir, name), { recursive: true, force: true });
  }
}
