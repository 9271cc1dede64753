import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { approveMigration, startMigration } from '../../client/temporal';
import type { MigrationInput } from '../../workflows/types';
import { sampleSpec, startTestWorker, type TestWorker, uploadDirectoryBackup } from '../helpers/migration';
import { testStack, uniqueName } from '../helpers/stack';
import { CLI, cliEnv, type CliRun, runCli } from './cli-helpers';

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

/** Runs the CLI as a child whose output is followed as it comes: `printed(text)` resolves once stdout has it. */
function followCli(args: string[]): { printed: (text: string) => Promise<void>; done: Promise<CliRun> } {
  const child = spawn(process.execPath, [CLI, ...args], { env });
  let stdout = '';
  let stderr = '';
  const waiters: { text: string; resolve: () => void }[] = [];
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    for (const w of waiters.filter((w) => stdout.includes(w.text))) w.resolve();
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<CliRun>((resolve) =>
    child.once('close', (code) => resolve({ code: code ?? 1, stdout, stderr })),
  );
  const printed = (text: string) =>
    new Promise<void>((resolve) => (stdout.includes(text) ? resolve() : waiters.push({ text, resolve })));
  return { printed, done };
}

function ndjson(run: CliRun): Record<string, unknown>[] {
  const lines = run.stdout.split('\n').filter((line) => line !== '');
  return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
}

test('watch --json prints one progress object per change, as status --json has it, then the result; exit 0', async () => {
  // The migration waits for approval until watch has printed that step, so watch sees every later one.
  const input = await spec({ requireApproval: true });
  const started = await startMigration(tw.client, tw.config, input);
  const following = followCli(['watch', started.workflowId, '--json', '--interval', '0.3']);
  await following.printed('"step":"awaiting-approval"');
  await approveMigration(tw.client, started.workflowId, { by: 'ndjson-test' });
  const watch = await following.done;
  expect(watch.code).toBe(0);
  const lines = ndjson(watch);
  const progress = lines.slice(0, -1);
  const last = lines[lines.length - 1]!;

  expect(progress.length).toBeGreaterThanOrEqual(2);
  for (const line of progress) expect(line).toMatchObject({ workflowId: started.workflowId, runId: started.runId });
  // One line per change: no two consecutive lines are the same object.
  for (let i = 1; i < progress.length; i++) expect(progress[i]).not.toEqual(progress[i - 1]);
  const steps = progress.map((line) => line.step);
  expect(steps).toEqual(
    expect.arrayContaining(['awaiting-approval', 'waiting-for-cluster', 'waiting-for-instances', 'completed']),
  );
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
  const startTextFollowing = followCli(['start', file, '--wait']);
  const startWait = startTextFollowing.done;
  // The same spec again attaches to that migration; with --json its whole output is NDJSON.
  const startFollowing = followCli(['start', file, '--wait', '--json']);
  const startWaitJson = startFollowing.done;
  await waitForStep(id, 'awaiting-approval');
  const watch = runCli(['watch', id, '--interval', '0.3'], env, 110_000);
  const following = followCli(['watch', id, '--json', '--interval', '0.3']);
  const watchJson = following.done;
  // Both start --wait runs are following the migration (not about to start another) before it is cancelled.
  await Promise.all([
    following.printed('"step":"awaiting-approval"'),
    startFollowing.printed('"attached"'),
    startTextFollowing.printed(`migration ${id}`),
  ]);

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
