import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client, WorkflowNotFoundError } from '@temporalio/client';
import { loadConfig } from '../../config/app-config';
import { payloadCodecs } from '../../config/codec';
import { startFleet } from '../../client/fleet/temporal';
import { fleetWorkflowId } from '../../workflows/fleet/ids';
import { uploadDirectoryBackup } from '../helpers/migration';
import { testStack, uniqueName } from '../helpers/stack';
import { useTestWorker } from '../helpers/use-test-worker';
import { fleetManifest } from '../workflows/fleet-helpers';
import { cliEnv, runCli } from './cli-helpers';
import { call, startTestServer, type TestServer } from './http-helpers';

describe('the fleet through the HTTP service and the CLI', () => {
  const tw = useTestWorker();
  let server: TestServer;
  let backup: { bucket: string; prefix: string };

  beforeAll(async () => {
    server = await startTestServer(tw.client, tw.config);
    backup = await uploadDirectoryBackup({ version: '5.7' });
  });
  afterAll(async () => {
    await server?.close();
  });

  async function fleetExists(name: string): Promise<boolean> {
    try {
      await tw.client.workflow.getHandle(fleetWorkflowId(name)).describe();
      return true;
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return false;
      throw err;
    }
  }

  test('POST /fleets refuses a bad manifest with 400 naming the database and field, and starts nothing', async () => {
    const { manifest } = fleetManifest({
      backup,
      count: 2,
      overrides: { 1: { restore: { SourceEngineVersion: 'eight' } } },
    });
    const answer = await call(server, 'POST', '/fleets', { body: manifest });

    expect(answer.status).toBe(400);
    expect(answer.body.success).toBe(false);
    expect(answer.body.error?.code).toBe('VALIDATION_ERROR');
    expect(answer.body.error?.details?.map((d) => d.path)).toEqual(['databases[1].restore.SourceEngineVersion']);
    expect(await fleetExists(manifest.name)).toBe(false);
  });

  test('POST /fleets starts a fleet in the house envelope and GET /fleets/{id} follows it to the end', async () => {
    const { manifest } = fleetManifest({ backup, count: 2, options: { maxInFlight: 2 } });
    const answer = await call(server, 'POST', '/fleets', { body: manifest });

    expect(answer.status).toBe(202);
    expect(answer.body.success).toBe(true);
    const id = answer.body.data?.id as string;
    expect(id).toBe(fleetWorkflowId(manifest.name));
    expect(Date.parse(answer.body.data?.created_at as string)).not.toBeNaN();
    await tw.client.workflow.getHandle(id).result();
    const status = await call(server, 'GET', `/fleets/${encodeURIComponent(id)}`);
    expect(status.status).toBe(200);
    expect(status.body.data).toMatchObject({ status: 'COMPLETED', step: 'completed', counts: { completed: 2 } });
    const document = await call(server, 'GET', '/openapi.json', { token: null });
    expect(Object.keys((document.body as unknown as { paths: object }).paths)).toEqual(
      expect.arrayContaining(['/fleets', '/fleets/{id}', '/fleets/{id}/cancel']),
    );
  });

  test('a running fleet answers the same manifest again, refuses another one with 409, and cancels over HTTP', async () => {
    const { manifest } = fleetManifest({ backup, count: 1, specOptions: { requireApproval: true } });
    const first = await call(server, 'POST', '/fleets', { body: manifest });
    const again = await call(server, 'POST', '/fleets', { body: manifest });
    expect([first.status, again.status]).toEqual([202, 202]);
    expect(again.body.data).toMatchObject({ id: first.body.data?.id, attached: true });

    const other = await call(server, 'POST', '/fleets', { body: { ...manifest, options: { maxInFlight: 3 } } });
    expect(other.status).toBe(409);
    expect(other.body.error?.code).toBe('CONFLICT');

    const id = encodeURIComponent(first.body.data?.id as string);
    const cancelled = await call(server, 'POST', `/fleets/${id}/cancel`);
    expect(cancelled.status).toBe(202);
    const ended: unknown = await tw.client.workflow
      .getHandle(first.body.data?.id as string)
      .result()
      .then(
        () => 'completed',
        () => 'closed',
      );
    expect(ended).toBe('closed');
    expect((await call(server, 'GET', `/fleets/${id}`)).body.data).toMatchObject({ status: 'CANCELLED' });
  });

  test('the CLI refuses a bad manifest with exit 2, then starts, watches and lists a good one as JSON', async () => {
    const dir = join(testStack().scratchDir, uniqueName('fleet-cli'));
    mkdirSync(dir, { recursive: true });
    const env = cliEnv(tw.config.taskQueue);
    for (const sub of ['start', 'watch', 'list', 'cancel']) {
      const help = await runCli(['fleet', sub, '--help'], env);
      expect([sub, help.code, help.stdout.includes(`Usage: aurora-migrate fleet ${sub}`)]).toEqual([sub, 0, true]);
      expect(help.stdout).toContain('Examples:');
    }

    const bad = fleetManifest({ backup, count: 1, options: { maxInFlight: 0 } });
    writeFileSync(join(dir, 'bad.json'), JSON.stringify(bad.manifest));
    const refused = await runCli(['fleet', 'start', join(dir, 'bad.json')], env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('options.maxInFlight: must be a whole number from 1 to');
    expect(await fleetExists(bad.manifest.name)).toBe(false);

    const good = fleetManifest({ backup, count: 1 });
    writeFileSync(join(dir, 'good.json'), JSON.stringify(good.manifest));
    const run = await runCli(['fleet', 'start', join(dir, 'good.json'), '--wait', '--json'], env, 90_000);
    expect(run.code).toBe(0);
    const [started, ...changes] = run.stdout
      .trim()
      .split(/\n(?=\{)/)
      .map((chunk) => JSON.parse(chunk) as Record<string, unknown>);
    expect(started).toMatchObject({ id: fleetWorkflowId(good.manifest.name), total: 1, attached: false });
    expect(changes.at(-1)).toMatchObject({ status: 'COMPLETED', counts: { completed: 1 } });

    // A fleet whose memo this CLI cannot decrypt (another key, as after a rotation) is listed all the same.
    const otherKey = loadConfig({ AURORA_MIGRATE_CODEC_KEYS: `other:${randomBytes(32).toString('base64')}` });
    const stranger = new Client({
      connection: tw.client.connection,
      namespace: testStack().temporal.namespace,
      dataConverter: { payloadCodecs: payloadCodecs(otherKey.codecKeys) },
    });
    const foreign = fleetManifest({ backup, count: 1 });
    const unreadable = await startFleet(stranger, { ...tw.config, codecKeys: otherKey.codecKeys }, foreign.manifest);
    const listed = await runCli(['fleet', 'list', '--json'], env);
    await tw.client.workflow.getHandle(unreadable.workflowId).terminate('test: written with another key');
    // The whole run is compared so that a failure shows what the CLI printed.
    expect(listed).toMatchObject({ code: 0 });
    const fleets = JSON.parse(listed.stdout) as { workflowId: string }[];
    expect(fleets.map((f) => f.workflowId)).toEqual(
      expect.arrayContaining([fleetWorkflowId(good.manifest.name), unreadable.workflowId]),
    );
  });
});
