/**
 * A burst of migrations on two workers against an emulator whose account budget is small (a burst of 12 calls,
 * then 4 a second), with the task queue's activity rate (3/s, enforced by the Temporal server across both
 * workers): every migration completes and the emulator throttles no call at all, pre-flight reads included.
 */
import { EmulatorControl } from '../../emulator/control-client';
import { startEmulator, type RunningEmulator } from '../../emulator/server';
import {
  sampleSpec,
  startMigration,
  startTestWorker,
  uploadDirectoryBackup,
  type TestWorker,
} from '../helpers/migration';
import { testStack, uniqueName } from '../helpers/stack';

const BUDGET = { burst: 12, ratePerSecond: 4 };
const MIGRATIONS = 10;

let emulator: RunningEmulator;
const workers: TestWorker[] = [];

beforeAll(async () => {
  emulator = await startEmulator({
    s3: testStack().s3,
    rateLimit: BUDGET,
    timings: {
      clusterCreatingMs: 1000,
      clusterMigratingMs: 2000,
      instanceCreatingMs: 500,
      instanceConfiguringMs: 200,
      instanceBackingUpMs: 200,
    },
  });
});
afterAll(async () => {
  for (const w of workers) await w.stop();
  await emulator?.close();
});

test('a burst of starts on two workers against a small account budget: no RDS call is throttled and every migration completes', async () => {
  // Each worker alone may call RDS 4 times a second (its client-side limiter): two of them could reach 8/s,
  // twice the budget. Only the task queue's limit, shared by both, keeps the sum inside it.
  const env = {
    AURORA_MIGRATE_TASK_QUEUE: uniqueName('budget'),
    AURORA_MIGRATE_TASK_QUEUE_ACTIVITIES_PER_SECOND: '3',
    AURORA_MIGRATE_RDS_CALLS_PER_SECOND: '4',
    AURORA_MIGRATE_RDS_CALL_BURST: '6',
  };
  for (let i = 0; i < 2; i += 1) workers.push(await startTestWorker({ emulatorEndpoint: emulator.endpoint, env }));
  const control = new EmulatorControl(emulator.endpoint);
  const before = (await control.calls()).log.length;
  const backup = await uploadDirectoryBackup({ version: '5.7' });
  const [first] = workers;
  if (!first) throw new Error('no worker');

  const handles = await Promise.all(
    Array.from({ length: MIGRATIONS }, () => startMigration(first, sampleSpec({ ...backup, readers: 1 }))),
  );
  const results = await Promise.allSettled(handles.map((h) => h.result()));

  const failures = results.filter((r) => r.status === 'rejected');
  expect(failures).toEqual([]);
  const calls = (await control.calls()).log.slice(before);
  const count = (action: string) => calls.filter((c) => c.action === action).length;
  // The budget was exercised: more calls than its burst.
  expect(calls.length).toBeGreaterThan(BUDGET.burst * 2);
  // No call was over the account's budget: the emulator refused none (so none was retried either), the pre-flight's
  // reads included. Throttled calls are in the log (status 400, throttled: true), so this can fail, and did
  // before the pre-flight's reads were shared (39 of 205 calls throttled).
  expect(calls.filter((c) => c.throttled)).toEqual([]);
  // The catalogue and quota answers are the same for every migration of the burst: each worker read them about
  // once (once per 15 s of the burst), not once per migration.
  for (const action of [
    'DescribeDBEngineVersions',
    'DescribeOrderableDBInstanceOptions',
    'DescribeAccountAttributes',
  ]) {
    expect(count(action)).toBeLessThanOrEqual(workers.length * 2);
  }
  // Each restore was requested once: none had to be sent again after a refusal.
  expect(count('RestoreDBClusterFromS3')).toBe(MIGRATIONS);
}, 300_000);
