import { getProgress } from '../../client/progress';
import { getResult } from '../../client/temporal';
import { sampleSpec, startTestWorker, type TestWorker, uploadDirectoryBackup } from '../helpers/migration';
import { cliEnv, runCli } from './cli-helpers';
import { call, startTestServer, type TestServer } from './http-helpers';

// A real worker (the lead's createWorker) on its own task queue, the shared emulator and the S3 server: the
// approval gate, progress after the workflow closed, and the CLI's watch exit codes.
let tw: TestWorker;
let live: TestServer;

beforeAll(async () => {
  tw = await startTestWorker();
  live = await startTestServer(tw.client, tw.config);
});

afterAll(async () => {
  await live?.close();
  await tw?.stop();
});

async function waitForStep(id: string, step: string): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const answer = await call(live, 'GET', `/migrations/${encodeURIComponent(id)}`);
    if (answer.body.data?.step === step) return;
    if (answer.body.data?.status !== 'RUNNING') throw new Error(`ended early: ${JSON.stringify(answer.body.data)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`never reached ${step}`);
}

test('an approved migration completes; progress still answers after it closed and watch exits 0', async () => {
  const backup = await uploadDirectoryBackup({ version: '5.7' });
  const spec = sampleSpec({ ...backup, options: { requireApproval: true } });
  const started = await call(live, 'POST', '/migrations', { body: spec });
  expect(started.status).toBe(202);
  const id = String(started.body.data!.id);
  await waitForStep(id, 'awaiting-approval');

  const approved = await call(live, 'POST', `/migrations/${encodeURIComponent(id)}/approve`, {
    body: { by: 'alice', reason: 'report reviewed' },
  });
  expect(approved.status).toBe(200);
  expect(approved.body.data).toMatchObject({ approved: true, by: 'alice', reason: 'report reviewed' });

  const watch = await runCli(['watch', id, '--interval', '0.5'], cliEnv(tw.config.taskQueue), 110_000);
  expect(watch.code).toBe(0);
  expect(watch.stdout).toContain('COMPLETED');

  const result = await getResult(tw.client, id);
  expect(result.cluster.DBClusterIdentifier).toBe(spec.restore.DBClusterIdentifier);
  const progress = await getProgress(tw.client, id);
  expect(progress).toMatchObject({ status: 'COMPLETED', step: 'completed', live: true });
  expect(progress.approval).toMatchObject({ approved: true, by: 'alice' });
});

test('a rejected migration ends without restoring and watch exits 1', async () => {
  const backup = await uploadDirectoryBackup({ version: '5.7' });
  const spec = sampleSpec({ ...backup, options: { requireApproval: true } });
  const env = cliEnv(tw.config.taskQueue);
  const started = await call(live, 'POST', '/migrations', { body: spec });
  const id = String(started.body.data!.id);
  await waitForStep(id, 'awaiting-approval');

  const rejected = await runCli(['reject', id, '--by', 'bob', '--reason', 'wrong backup', '--json'], env);
  expect(rejected.code).toBe(0);
  expect(JSON.parse(rejected.stdout)).toMatchObject({ id, approved: false, by: 'bob', reason: 'wrong backup' });

  const watch = await runCli(['watch', id], env, 110_000);
  expect(watch.code).toBe(1);
  const status = await runCli(['status', id, '--json'], env);
  expect(JSON.parse(status.stdout)).toMatchObject({ status: 'FAILED' });
});
