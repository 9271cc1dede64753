/**
 * SNS as it really sends, on loopback: a real RSA key and self-signed certificate for
 * `sns.us-east-1.amazonaws.com` (made by openssl), messages signed exactly as SNS signs them (SignatureVersion
 * 1 or 2), and a local HTTPS server that serves the certificate and answers ConfirmSubscription. The HTTPS
 * agent handed to the service connects every request to that server, so the service's own host rule and TLS
 * check (servername, trusted CA) run unchanged; the agent records which hosts it was asked for.
 */
import { execFileSync } from 'node:child_process';
import { createSign, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type ConnectionOptions } from 'node:tls';
import type { SnsMessage } from '../../client/http/sns/message';

/** The SNS host the fake serves (the region of the topics below). */
export const SNS_HOST = 'sns.us-east-1.amazonaws.com';
/** The topic the signed messages come from. */
export const TOPIC_ARN = 'arn:aws:sns:us-east-1:123456789012:rds-events';
/** Where the signing certificate is published. */
export const CERT_URL = `https://${SNS_HOST}/SimpleNotificationService-0123456789abcdef.pem`;

/** A running fake SNS endpoint. */
export interface FakeSns {
  /** Agent for `buildHttpServer({ snsAgent })`. */
  agent: Agent;
  /** Host names the agent was asked to connect to, in order. */
  connectedHosts: string[];
  /** Paths (with query) the local server was asked for. */
  requests: string[];
  /** A signed message of `type` with the fields given (Message, and Token/SubscribeURL for confirmations). */
  sign(fields: Partial<SnsMessage> & Pick<SnsMessage, 'Type' | 'Message'>, version?: '1' | '2'): SnsMessage;
  close(): Promise<void>;
}

/** Generates the key and certificate and starts the local HTTPS server. */
export async function startFakeSns(): Promise<FakeSns> {
  const dir = mkdtempSync(join(tmpdir(), 'fake-sns-'));
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2',
    '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
    '-subj', `/CN=${SNS_HOST}`, '-addext', `subjectAltName=DNS:${SNS_HOST}`,
  ], { stdio: 'ignore' }); // prettier-ignore
  const key = readFileSync(join(dir, 'key.pem'), 'utf8');
  const cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
  rmSync(dir, { recursive: true, force: true });

  const requests: string[] = [];
  const server: Server = createServer({ key, cert }, (req, res) => {
    requests.push(req.url ?? '');
    const url = new URL(req.url ?? '/', `https://${SNS_HOST}`);
    if (url.pathname === new URL(CERT_URL).pathname) res.writeHead(200).end(cert);
    else if (url.searchParams.get('Action') === 'ConfirmSubscription')
      res.writeHead(200).end('<ConfirmSubscriptionResponse/>');
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  const connectedHosts: string[] = [];
  const agent = new Agent({ ca: cert, keepAlive: false });
  // Every connection goes to the local server; TLS still checks the certificate against the asked host name.
  (agent as unknown as { createConnection: (o: ConnectionOptions) => unknown }).createConnection = (options) => {
    connectedHosts.push(String(options.servername ?? options.host));
    return connect({ ...options, host: '127.0.0.1', port });
  };

  return {
    agent,
    connectedHosts,
    requests,
    sign(fields, version = '2') {
      const message: SnsMessage = {
        MessageId: randomUUID(),
        TopicArn: TOPIC_ARN,
        Timestamp: new Date().toISOString(),
        SignatureVersion: version,
        SigningCertURL: CERT_URL,
        Signature: '',
        ...fields,
      };
      const signer = createSign(version === '1' ? 'RSA-SHA1' : 'RSA-SHA256').update(stringToSign(message), 'utf8');
      message.Signature = signer.sign(key, 'base64');
      return message;
    },
    close: async () => {
      agent.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * The string SNS signs, written out here from AWS's documentation rather than imported, so that a mistake in
 * the service's version cannot be mirrored by the test: `Name\nValue\n` for each field in byte order of the
 * names, Subject only when present, confirmations with SubscribeURL and Token.
 */
function stringToSign(m: SnsMessage): string {
  const pairs: Array<[string, string | undefined]> =
    m.Type === 'Notification'
      ? [['Message', m.Message], ['MessageId', m.MessageId], ['Subject', m.Subject], ['Timestamp', m.Timestamp], ['TopicArn', m.TopicArn], ['Type', m.Type]]
      : [['Message', m.Message], ['MessageId', m.MessageId], ['SubscribeURL', m.SubscribeURL], ['Timestamp', m.Timestamp], ['Token', m.Token], ['TopicArn', m.TopicArn], ['Type', m.Type]]; // prettier-ignore
  return pairs
    .filter((pair): pair is [string, string] => pair[1] !== undefined)
    .map(([name, value]) => `${name}\n${value}\n`)
    .join('');
}

/** The `Authorization` header SNS sends for `https://user:password@host/…` subscriptions. */
export function basicAuth(pair: string): string {
  return `Basic ${Buffer.from(pair).toString('base64')}`;
}

/**
 * RDS's own SNS message (what an RDS event subscription publishes) about a cluster or an instance in
 * us-east-1, as the Message of a Notification.
 */
export function rdsSnsMessage(kind: 'db-cluster' | 'db-instance', id: string, message = 'created'): string {
  const [link, arn] =
    kind === 'db-cluster' ? [`dbclusters:id=${id}`, `cluster:${id}`] : [`dbinstance:id=${id}`, `db:${id}`];
  return JSON.stringify({
    'Event Source': kind,
    'Event Time': '2026-12-04 10:00:00.000',
    'Identifier Link': `https://console.aws.amazon.com/rds/home?region=us-east-1#${link}`,
    'Source ID': id,
    'Source ARN': `arn:aws:rds:us-east-1:123456789012:${arn}`,
    'Event ID': `http://docs.amazonwebservices.com/AmazonRDS/latest/UserGuide/USER_Events.html#${kind === 'db-cluster' ? 'RDS-EVENT-0170' : 'RDS-EVENT-0005'}`,
    'Event Message': `DB ${kind === 'db-cluster' ? 'cluster' : 'instance'} ${message}`,
  });
}
