/**
 * The cutover's surfaces where no replication runs: a spec with a `replication` section now starts a migration
 * (the start refusal is gone), and the library, the CLI and the HTTP API refuse a cutover, naming why, for a
 * migration without replication, a closed one and a request without `by`. Real worker, Temporal and emulator;
 * the cutover itself, on real MySQL servers, is test/workflows/catch-up-and-cutover.test.ts.
 */
import { MigrationStateError } from '../../client/errors';
import { cancelMigration, cutover, startMigration } from '../../client/temporal';
import { Messages } from '../../workflows/ids';
import type { MigrationInput, MigrationProgress } from '../../workflows/types';
import { sampleSpec, startTestWorker, type TestWorker, uploadDirectoryBackup } from '../helpers/migration';
import { cliEnv, runCli } from './cli-helpers';
import { call, startTestServer, type TestServer } from './http-helpers';

const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:repl-AbCdEf';

let tw: TestWorker;
let live: TestServer;
let waitingId: string;

beforeAll(async () => {
  tw = await startTestWorker();
  live = await startTestServer(tw.client, tw.config);
  // A migration without replication, held at its approval gate: running, but with nothing to cut over.
  const backup = await uploadDirectoryBackup({ version: '5.7' });
  const started = await startMigration(
    tw.client,
    tw.config,
    sampleSpec({ ...backup, options: { requireApproval: true } }),
  );
  waitingId = started.workflowId;
  await waitFor(waitingId, (p) => p.step === 'awaiting-approval');
}, 60_000);

afterAll(async () => {
  await cancelMigration(tw.client, waitingId).catch(() => undefined);
  await live?.close();
  await tw?.stop();
});

async function waitFor(id: string, done: (p: MigrationProgress) => boolean): Promise<MigrationProgress> {
  for (let attempt = 0; attempt < 300; attempt++) {
    const progress = await tw.client.workflow.getHandle(id).query<MigrationProgress>(Messages.progressQuery);
    if (done(progress)) return progress;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${id} never got there`);
}

test('a spec with a replication section starts a migration instead of being refused', async () => {
  const backup = await uploadDirectoryBackup({ version: '5.7' });
  const spec: MigrationInput = {
    ...sampleSpec({ ...backup, options: { requireApproval: true } }),
    replication: { source: { host: '127.0.0.1', port: 1, user: 'repl', passwordSecretArn: SECRET_ARN } },
  };
  const started = await startMigration(tw.client, tw.config, spec);
  expect(started.attached).toBe(false);
  const handle = tw.client.workflow.getHandle(started.workflowId);
  const description = await handle.describe();
  expect(description.type).toBe('migrateToAurora');
  const history = await handle.fetchHistory();
  const first = history.events?.[0]?.workflowExecutionStartedEventAttributes;
  expect(first?.input?.payloads?.length).toBe(1);
  await handle.cancel().catch(() => undefined);
  await handle.result().catch(() => undefined);
});

test('the library refuses a cutover of a migration without replication, naming the section', async () => {
  const refusal = await cutover(tw.client, waitingId, { by: 'alice' }).catch((err: unknown) => err);
  expect(refusal).toBeInstanceOf(MigrationStateError);
  expect((refusal as Error).message).toContain('started without a replication section');
  // Refused by the validator: nothing was recorded, the migration still waits at its gate.
  const progress = await waitFor(waitingId, () => true);
  expect(progress.step).toBe('awaiting-approval');
  expect(progress.replication).toBeUndefined();
});

test('the CLI exits 1 with the reason, and 2 without --by', async () => {
  const env = cliEnv(tw.config.taskQueue);
  const refused = await runCli(['cutover', waitingId, '--by', 'alice', '--reason', 'window'], env);
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain('started without a replication section');
  const usage = await runCli(['cutover', waitingId], env);
  expect(usage.code).toBe(2);
  expect(usage.stderr).toContain('--by');
});

test('HTTP answers 409 with the reason, and 400 naming by for a request without it', async () => {
  const path = `/migrations/${encodeURIComponent(waitingId)}/cutover`;
  const refused = await call(live, 'POST', path, { body: { by: 'alice', reason: 'window' } });
  expect(refused.status).toBe(409);
  expect(refused.body).toMatchObject({ success: false, error: { code: 'CONFLICT' } });
  expect(refused.body.error?.message).toContain('started without a replication section');
  const invalid = await call(live, 'POST', path, { body: { by: '  ' } });
  expect(invalid.status).toBe(400);
  expect(invalid.body.error).toMatchObject({ code: 'VALIDATION_ERROR' });
  expect(invalid.body.error?.details?.map((d) => d.path)).toEqual(['by']);
});

test('a closed migration is refused on every surface as not running', async () => {
  const backup = await uploadDirectoryBackup({ version: '5.7' });
  const started = await startMigration(tw.client, tw.config, sampleSpec(backup));
  await tw.client.workflow.getHandle(started.workflowId).result();
  const refusal = await cutover(tw.client, started.workflowId, { by: 'alice' }).catch((err: unknown) => err);
  expect(refusal).toBeInstanceOf(MigrationStateError);
  expect((refusal as Error).message).toContain('is COMPLETED, not waiting');
  const answer = await call(live, 'POST', `/migrations/${encodeURIComponent(started.workflowId)}/cutover`, {
    body: { by: 'alice' },
  });
  expect(answer.status).toBe(409);
}, 120_000);
