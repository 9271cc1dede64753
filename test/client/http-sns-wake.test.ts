import {
  emulatorInventory,
  sampleSpec,
  startTestWorker,
  type TestWorker,
  uploadDirectoryBackup,
} from '../helpers/migration';
import { call, startTestServer, type TestServer } from './http-helpers';
import { basicAuth, type FakeSns, rdsSnsMessage, startFakeSns } from './sns-helpers';

// A real worker polling once an hour: the migration can only finish in seconds if the signed SNS notifications
// posted to the service, for the cluster and for each instance, reach the workflow and end each wait.
const SNS_CREDENTIALS = 'sns-user:sns-password-0123456789';
let tw: TestWorker;
let server: TestServer;
let sns: FakeSns;

beforeAll(async () => {
  tw = await startTestWorker();
  sns = await startFakeSns();
  const config = { ...tw.config, http: { ...tw.config.http, snsBasicAuth: [SNS_CREDENTIALS] } };
  server = await startTestServer(tw.client, config, { snsAgent: sns.agent });
});

afterAll(async () => {
  await server?.close();
  await sns?.close();
  await tw?.stop();
});

test('signed SNS notifications about the cluster and about each instance end their waits, with an hour between polls', async () => {
  const backup = await uploadDirectoryBackup({ version: '5.7' });
  const spec = sampleSpec({ ...backup, readers: 1, options: { pollInterval: '1h' } });
  const started = Date.now();
  const answer = await call(server, 'POST', '/migrations', { body: spec });
  expect(answer.status).toBe(202);
  const handle = tw.client.workflow.getHandle(String(answer.body.data!.id));

  // Stand-in for an RDS event subscription: publish each resource's event once the emulator has it available.
  const ids = [spec.restore.DBClusterIdentifier, ...spec.instances.map((i) => i.DBInstanceIdentifier)];
  const delivered: Record<string, string[]> = {};
  const publish = (async () => {
    while (Object.keys(delivered).length < ids.length && Date.now() - started < 60_000) {
      const inventory = await emulatorInventory();
      const available = [...inventory.clusters, ...inventory.instances].filter((r) => r.status === 'available');
      for (const r of available.filter((r) => ids.includes(r.id) && !delivered[r.id])) {
        const kind = r.id === spec.restore.DBClusterIdentifier ? 'db-cluster' : 'db-instance';
        const message = sns.sign({ Type: 'Notification', Message: rdsSnsMessage(kind, r.id, 'available') });
        const posted = await call(server, 'POST', '/events/rds', {
          raw: JSON.stringify(message),
          token: null,
          headers: { 'content-type': 'text/plain; charset=UTF-8', authorization: basicAuth(SNS_CREDENTIALS) },
        });
        // An instance is found through visibility, which may lag: post again on the next round until delivered.
        const to = (posted.body.data as { delivered?: string[] } | undefined)?.delivered ?? [];
        if (to.length) delivered[r.id] = to;
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  })();
  const result = (await handle.result()) as { instances: Array<{ DBInstanceStatus?: string }> };
  await publish;

  expect(delivered).toEqual(Object.fromEntries(ids.map((id) => [id, [handle.workflowId]])));
  expect(result.instances.map((i) => i.DBInstanceStatus)).toEqual(['available', 'available']);
  expect(Date.now() - started).toBeLessThan(45_000);
}, 90_000);
