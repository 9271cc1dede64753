import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startMigration } from '../../client/temporal';
import type { MigrationInput } from '../../workflows/types';
import { sampleSpec, startTestWorker, type TestWorker, uploadDirectoryBackup } from '../helpers/migration';
import { testStack, uniqueName } from '../helpers/stack';
import { cliEnv, type CliRun, runCli } from './cli-helpers';

// The compiled CLI as a child process against a real worker, the dev server, versitygw and the emulator:
// `watch --json` (NDJSON), `approve`, and the exit codes of `watch` and `start --wait` for a cancelled migration.
let tw: TestWorker;
let env: Record<string, string>;

beforeAll(async () => {
  tw = await startTestWorker();
  env = cliEnv(tw.config.taskQueue);
});

afterAll(async () => {
  await tw?.stop();
});

async function spec(options: MigrationInput['options'] = {}): Promise<MigrationInput> {
  return sampleSpec({ ...(await uploadDirectoryBackup({ version: '5.7' })), options });
}

function specFile(value: MigrationInput): string {
  const file = join(testStack().scratchDir, `${uniqueName('spec')}.json`);
  writeFileSync(file, JSON.stringify(value));
  return file;
}

/** Polls `status --json` until the migration reaches `step` (it may not exist yet: another process starts it). */
async function waitForStep(id: string, step: string): Promise<void> {
  for (let attempt = 0; attempt < 120; attempt++) {
    const run = await runCli(['status', id, '--json'], env);
    if (run.code !== 0 && run.stderr.includes(`no migration with ID ${id}`)) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      continue;
    }
    const status = JSON.parse(run.stdout) as { step: string; status: string };
    if (status.step === step) return;
    if (status.status !== 'RUNNING') throw new Error(`ended early: ${run.stdout}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`never reached ${step}`);
}

function ndjson(run: CliRun): Record<string, unknown>[] {
  const lines = run.stdout.split('\n').filter((line) => line !== '');
  return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
}

test('watch --json prints one progress object per change, as status --json has it, then the result; exit 0', async () => {
  const input = await spec();
  const started = await startMigration(tw.client, tw.config, input);
  const watch = await runCli(['watch', started.workflowId, '--json', '--interval', '0.3'], env, 110_000);
  expect(watch.code).toBe(0);
  const lines = ndjson(watch);
  const progress = lines.slice(0, -1);
  const last = lines[lines.length - 1]!;

  expect(progress.length).toBeGreaterThanOrEqual(2);
  for (const line of progress) expect(line).toMatchObject({ workflowId: started.workflowId, runId: started.runId });
  // One line per change: no two consecutive lines are the same object.
  for (let i = 1; i < progress.length; i++) expect(progress[i]).not.toEqual(progress[i - 1]);
  const steps = progress.map((line) => line.step);
  expect(steps).toEqual(expect.arrayContaining(['waiting-for-cluster', 'completed']));
  expect(progress[progress.length - 1]).toMatchObject({ status: 'COMPLETED', step: 'completed' });

  // The progress object is serialized as it is: the same fields as `status --json` (which adds only uiUrl).
  const status = JSON.parse((await runCli(['status', started.workflowId, '--json'], env)).stdout) as object;
  const { uiUrl: _uiUrl, ...statusFields } = status as { uiUrl?: string };
  expect(Object.keys(progress[progress.length - 1]!).sort()).toEqual(Object.keys(statusFields).sort());

  expect(last).toMatchObject({
    workflowId: started.workflowId,
    outcome: 'completed',
    status: 'COMPLETED',
    result: { cluster: { DBClusterIdentifier: input.restore.DBClusterIdentifier, Status: 'available' } },
  });
  expect(watch.stderr).toBe('');
});

test('a migration waiting for approval proceeds after aurora-migrate approve and completes', async () => {
  const input = await spec({ requireApproval: true });
  const start = await runCli(['start', specFile(input), '--json'], env);
  expect(start.code).toBe(0);
  const { id } = JSON.parse(start.stdout) as { id: string };
  await waitForStep(id, 'awaiting-approval');

  const approve = await runCli(['approve', id, '--by', 'alice', '--reason', 'CHG-1234', '--json'], env);
  expect(approve.code).toBe(0);
  expect(JSON.parse(approve.stdout)).toMatchObject({ id, approved: true, by: 'alice', reason: 'CHG-1234' });

  const watch = await runCli(['watch', id, '--json', '--interval', '0.3'], env, 110_000);
  expect(watch.code).toBe(0);
  const lines = ndjson(watch);
  expect(lines[lines.length - 1]).toMatchObject({
    outcome: 'completed',
    result: { approval: { approved: true, by: 'alice', reason: 'CHG-1234' } },
  });
  // Approving again is refused: the gate is passed (or the migration closed).
  const again = await runCli(['approve', id, '--by', 'bob'], env);
  expect(again.code).toBe(1);
  expect(again.stderr).toContain(id);
});

test('a cancelled migration ends watch, watch --json, start --wait and start --wait --json with exit 3', async () => {
  const input = await spec({ requireApproval: true });
  const id = `aurora-migrate:${input.region}:${input.restore.DBClusterIdentifier}`;
  // `start --wait` starts the migration and follows it; `watch` follows it from another process.
  const file = specFile(input);
  const startWait = runCli(['start', file, '--wait'], env, 110_000);
  // The same spec again attaches to that migration; with --json its whole output is NDJSON.
  const startWaitJson = runCli(['start', file, '--wait', '--json'], env, 110_000);
  await waitForStep(id, 'awaiting-approval');
  const watch = runCli(['watch', id, '--interval', '0.3'], env, 110_000);
  const watchJson = runCli(['watch', id, '--json', '--interval', '0.3'], env, 110_000);
  await new Promise((resolve) => setTimeout(resolve, 1000));

  const cancel = await runCli(['cancel', id], env);
  expect(cancel.code).toBe(0);
  expect(cancel.stdout).toContain(`Cancellation requested for ${id}`);

  const [started, startedJson, watched, watchedJson] = await Promise.all([startWait, startWaitJson, watch, watchJson]);
  expect(started.code).toBe(3);
  expect(started.stdout).toContain('CANCELLED');
  expect(startedJson.code).toBe(3);
  const startLines = ndjson(startedJson);
  expect(startLines[0]).toMatchObject({ id });
  expect(startLines[startLines.length - 1]).toMatchObject({ workflowId: id, outcome: 'cancelled' });
  expect(watched.code).toBe(3);
  expect(watched.stdout).toContain('CANCELLED');
  expect(watchedJson.code).toBe(3);
  const lines = ndjson(watchedJson);
  expect(lines[0]).toMatchObject({ step: 'awaiting-approval', status: 'RUNNING' });
  expect(lines[lines.length - 1]).toMatchObject({
    workflowId: id,
    outcome: 'cancelled',
    status: 'CANCELLED',
    error: { type: 'CancelledFailure' },
  });
});
