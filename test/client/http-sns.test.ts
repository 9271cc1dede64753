import { Client, Connection } from '@temporalio/client';
import { loadConfig } from '../../config/app-config';
import { TEST_CODEC_KEYS } from '../helpers/migration';
import { testStack, uniqueName } from '../helpers/stack';
import { call, startTestServer, type TestServer } from './http-helpers';
import { basicAuth, CERT_URL, type FakeSns, rdsSnsMessage, SNS_HOST, startFakeSns, TOPIC_ARN } from './sns-helpers';
import { validSpec } from './spec-fixtures';

// Migrations start on a task queue without a worker: they stay RUNNING, which is all event delivery needs.
const queue = uniqueName('sns-tq');
const SNS_CREDENTIALS = 'sns-user:sns-password-0123456789';
let connection: Connection;
let server: TestServer;
let sns: FakeSns;

beforeAll(async () => {
  connection = await Connection.connect({ address: testStack().temporal.address });
  sns = await startFakeSns();
  const config = loadConfig({
    AURORA_MIGRATE_TASK_QUEUE: queue,
    AURORA_MIGRATE_CODEC_KEYS: TEST_CODEC_KEYS,
    AURORA_MIGRATE_SNS_BASIC_AUTH: SNS_CREDENTIALS,
  });
  const client = new Client({ connection, namespace: testStack().temporal.namespace });
  server = await startTestServer(client, config, { snsAgent: sns.agent });
});

afterAll(async () => {
  await server?.close();
  await sns?.close();
  await connection?.close();
});

/** Posts `body` as SNS does: text/plain; charset=UTF-8, Basic credentials of the subscription URL. */
function postAsSns(body: unknown, credentials = SNS_CREDENTIALS) {
  return call(server, 'POST', '/events/rds', {
    raw: JSON.stringify(body),
    token: null,
    headers: {
      'content-type': 'text/plain; charset=UTF-8',
      authorization: basicAuth(credentials),
      'x-amz-sns-message-type': String((body as { Type?: unknown }).Type),
    },
  });
}

async function startMigration(cluster: string): Promise<string> {
  const started = await call(server, 'POST', '/migrations', { body: validSpec(cluster) });
  expect(started.status).toBe(202);
  return String(started.body.data!.id);
}

function clusterEvent(cluster: string) {
  return {
    source: 'aws.rds',
    'detail-type': 'RDS DB Cluster Event',
    region: 'us-east-1',
    detail: {
      SourceType: 'CLUSTER',
      SourceIdentifier: cluster,
      Message: 'DB cluster created',
      EventID: 'RDS-EVENT-0170',
    },
  };
}

/** Instance events find their migration through visibility, which may lag the start by a moment. */
async function eventually(post: () => Promise<{ body: { data?: unknown } }>, expected: unknown) {
  let last: unknown;
  for (let attempt = 0; attempt < 40; attempt += 1) {
    last = (await post()).body.data;
    if (JSON.stringify(last) === JSON.stringify(expected)) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  expect(last).toEqual(expected);
}

describe('POST /events/rds from an SNS HTTP(S) subscription', () => {
  test('delivers a SignatureVersion 1 cluster notification posted as text/plain with Basic credentials', async () => {
    const cluster = uniqueName('c');
    const id = await startMigration(cluster);
    const message = sns.sign({ Type: 'Notification', Message: JSON.stringify(clusterEvent(cluster)) }, '1');
    const answer = await postAsSns(message);
    expect(answer.status).toBe(202);
    expect(answer.body.data).toEqual({ delivered: [id] });
  });

  test('delivers a cluster notification in RDS’s SNS format to the cluster’s migration', async () => {
    const cluster = uniqueName('c');
    const id = await startMigration(cluster);
    const message = sns.sign({ Type: 'Notification', Subject: 'RDS Notification Message', Message: rdsSnsMessage('db-cluster', cluster) }); // prettier-ignore
    const answer = await postAsSns(message);
    expect(answer.status).toBe(202);
    expect(answer.body.data).toEqual({ delivered: [id] });
  });

  test('delivers a SignatureVersion 2 instance notification in RDS’s SNS format to the migration owning the instance', async () => {
    const cluster = uniqueName('c');
    const id = await startMigration(cluster);
    const message = sns.sign({ Type: 'Notification', Subject: 'RDS Notification Message', Message: rdsSnsMessage('db-instance', `${cluster}-writer`) }); // prettier-ignore
    await eventually(() => postAsSns(message), { delivered: [id] });
  });

  test('delivers EventBridge instance events with the bearer token to the migration owning the instance', async () => {
    const cluster = uniqueName('c');
    const id = await startMigration(cluster);
    const event = {
      source: 'aws.rds',
      'detail-type': 'RDS DB Instance Event',
      region: 'us-east-1',
      detail: { SourceType: 'DB_INSTANCE', SourceIdentifier: `${cluster}-reader`, EventID: 'RDS-EVENT-0005' },
    };
    await eventually(() => call(server, 'POST', '/events/rds', { body: event }), { delivered: [id] });
    const unknown = await call(server, 'POST', '/events/rds', {
      body: { ...event, detail: { ...event.detail, SourceIdentifier: `${cluster}-nobody` } },
    });
    expect(unknown.body.data).toEqual({ delivered: [] });
  });

  test('confirms a SubscriptionConfirmation by visiting its SubscribeURL on the SNS host', async () => {
    const token = `token-${uniqueName('t')}`;
    const subscribeUrl = `https://${SNS_HOST}/?Action=ConfirmSubscription&TopicArn=${encodeURIComponent(TOPIC_ARN)}&Token=${token}`;
    const message = sns.sign({
      Type: 'SubscriptionConfirmation',
      Message: `You have chosen to subscribe to the topic ${TOPIC_ARN}.`,
      Token: token,
      SubscribeURL: subscribeUrl,
    });
    const answer = await postAsSns(message);
    expect(answer.status).toBe(200);
    expect(answer.body.data).toEqual({ confirmed: true, topic_arn: TOPIC_ARN });
    expect(sns.requests).toContain(subscribeUrl.slice(`https://${SNS_HOST}`.length));
    expect(server.logs.join('\n')).not.toContain(token);
  });

  test('fetches the signing certificate once and reuses it', async () => {
    const cluster = uniqueName('c');
    await startMigration(cluster);
    for (let i = 0; i < 3; i += 1) {
      const answer = await postAsSns(
        sns.sign({ Type: 'Notification', Message: JSON.stringify(clusterEvent(cluster)) }),
      );
      expect(answer.status).toBe(202);
    }
    expect(sns.requests.filter((path) => path === new URL(CERT_URL).pathname)).toHaveLength(1);
  });

  test('refuses a message whose signature does not match its content, naming Signature', async () => {
    const message = sns.sign({ Type: 'Notification', Message: JSON.stringify(clusterEvent('orders')) });
    const tampered = { ...message, Message: JSON.stringify(clusterEvent('payroll')) };
    const answer = await postAsSns(tampered);
    expect(answer.status).toBe(400);
    expect(answer.body.error!.details).toEqual([
      { path: 'Signature', message: 'does not verify against the certificate at SigningCertURL' },
    ]);
  });

  test.each([
    ['another host', 'https://certs.example.com/SimpleNotificationService-1.pem'],
    ['a look-alike suffix', `https://${SNS_HOST}.example.com/SimpleNotificationService-1.pem`],
    ['a look-alike prefix', 'https://evil-sns.us-east-1.amazonaws.com/SimpleNotificationService-1.pem'],
    ['plain http', `http://${SNS_HOST}/SimpleNotificationService-1.pem`],
    ['another port', `https://${SNS_HOST}:8443/SimpleNotificationService-1.pem`],
    ['a file that is not a .pem', `https://${SNS_HOST}/SimpleNotificationService-1.txt`],
  ])('never fetches a certificate from %s', async (_name, certUrl) => {
    const before = sns.connectedHosts.length;
    const message = sns.sign({ Type: 'Notification', Message: JSON.stringify(clusterEvent('orders')), SigningCertURL: certUrl }); // prettier-ignore
    const answer = await postAsSns(message);
    expect(answer.status).toBe(400);
    expect(answer.body.error!.details![0]!.path).toBe('SigningCertURL');
    expect(sns.connectedHosts.slice(before)).toEqual([]);
  });

  test('never visits a SubscribeURL off the SNS host', async () => {
    const before = sns.connectedHosts.length;
    const message = sns.sign({
      Type: 'SubscriptionConfirmation',
      Message: 'confirm',
      Token: 'abc',
      SubscribeURL: 'https://collector.example.com/?Action=ConfirmSubscription&Token=abc',
    });
    const answer = await postAsSns(message);
    expect(answer.status).toBe(400);
    expect(answer.body.error!.details).toEqual([
      { path: 'SubscribeURL', message: 'must be an https://sns.<region>.amazonaws.com/ URL of SNS itself' },
    ]);
    expect(sns.connectedHosts.slice(before).filter((host) => host !== SNS_HOST)).toEqual([]);
  });

  test('refuses an unsigned SNS envelope even with the bearer token', async () => {
    const answer = await call(server, 'POST', '/events/rds', {
      body: { Type: 'Notification', TopicArn: TOPIC_ARN, Message: JSON.stringify(clusterEvent('orders')) },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error!.details!.map((d) => d.path)).toEqual(
      expect.arrayContaining(['Signature', 'SigningCertURL', 'SignatureVersion']),
    );
  });

  test('challenges for Basic on /events/rds, refuses wrong credentials, and accepts Basic nowhere else', async () => {
    const anonymous = await call(server, 'POST', '/events/rds', { raw: '{}', token: null, headers: { 'content-type': 'text/plain' } }); // prettier-ignore
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toContain('Basic realm="aurora-migrate"');
    const wrong = await postAsSns(sns.sign({ Type: 'Notification', Message: '{}' }), 'sns-user:not-the-password-00000');
    expect(wrong.status).toBe(401);
    const elsewhere = await call(server, 'GET', '/migrations', {
      token: null,
      headers: { authorization: basicAuth(SNS_CREDENTIALS) },
    });
    expect(elsewhere.status).toBe(401);
    expect(elsewhere.headers.get('www-authenticate')).toBe('Bearer');
  });

  test('accepts text/plain only on /events/rds', async () => {
    const answer = await call(server, 'POST', '/migrations', {
      raw: JSON.stringify(validSpec(uniqueName('c'))),
      headers: { 'content-type': 'text/plain; charset=UTF-8' },
    });
    expect(answer.status).toBe(415);
  });

  test('refuses a Basic-authenticated body that is not an SNS message', async () => {
    const answer = await postAsSns(clusterEvent('orders'));
    expect(answer.status).toBe(400);
    expect(answer.body.error!.details![0]!.path).toBe('Type');
  });
});
