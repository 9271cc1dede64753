import { defaultPayloadConverter } from '@temporalio/common';
import { randomBytes } from 'node:crypto';
import { startCodecServer, type RunningCodecServer } from '../../client/codec-server/server';
import { AesGcmCodec } from '../../config/codec';
import { sampleSpec, startMigration, startTestWorker, TEST_CODEC_KEYS } from '../helpers/migration';
import { loadConfig } from '../../config/app-config';

const keys = loadConfig({ AURORA_MIGRATE_CODEC_KEYS: TEST_CODEC_KEYS }).codecKeys;
const b64 = (b: Uint8Array | null | undefined) => Buffer.from(b ?? new Uint8Array()).toString('base64');

describe('the codec endpoint for the Web UI', () => {
  let server: RunningCodecServer;
  beforeAll(async () => {
    server = await startCodecServer({ keys, allowOrigin: 'http://127.0.0.1:8233', port: 0 });
  });
  afterAll(async () => {
    await server?.close();
  });

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

  test('decodes what a worker encrypted, including a password inside a migration input', async () => {
    const spec = sampleSpec({ bucket: 'b', prefix: 'p' });
    const payload = defaultPayloadConverter.toPayload({
      ...spec,
      restore: { ...spec.restore, MasterUserPassword: 'Sup3r-Secret-42' },
    });
    const [sealed] = await new AesGcmCodec(keys).encode([payload]);
    expect(Buffer.from(sealed!.data!).toString()).not.toContain('Sup3r-Secret-42');

    const res = await post('/decode', {
      payloads: [
        {
          metadata: Object.fromEntries(Object.entries(sealed!.metadata!).map(([k, v]) => [k, b64(v)])),
          data: b64(sealed!.data),
        },
      ],
    });
    expect(res.status).toBe(200);
    const { payloads } = (await res.json()) as { payloads: { data: string }[] };
    expect(Buffer.from(payloads[0]!.data, 'base64').toString()).toContain('Sup3r-Secret-42');
  });

  test('encode then decode round-trips and leaves unencrypted payloads as they are', async () => {
    const plain = { metadata: { encoding: b64(Buffer.from('json/plain')) }, data: b64(Buffer.from('"hello"')) };
    const encoded = (await (await post('/encode', { payloads: [plain] })).json()) as { payloads: (typeof plain)[] };
    expect(Buffer.from(encoded.payloads[0]!.metadata.encoding, 'base64').toString()).toBe('binary/encrypted');
    const decoded = (await (await post('/decode', encoded)).json()) as { payloads: (typeof plain)[] };
    expect(decoded.payloads[0]).toEqual(plain);
    const untouched = (await (await post('/decode', { payloads: [plain] })).json()) as { payloads: (typeof plain)[] };
    expect(untouched.payloads[0]).toEqual(plain);
  });

  test('a payload sealed with a rotated-out key still decodes while that key is listed second', async () => {
    const oldKey = { id: 'old', key: randomBytes(32) };
    const [sealed] = await new AesGcmCodec([oldKey]).encode([defaultPayloadConverter.toPayload('from last year')]);
    const rotated = await startCodecServer({ keys: [keys[0]!, oldKey], port: 0 });
    try {
      const res = await fetch(`${rotated.url}/decode`, {
        method: 'POST',
        body: JSON.stringify({
          payloads: [
            {
              metadata: Object.fromEntries(Object.entries(sealed!.metadata!).map(([k, v]) => [k, b64(v)])),
              data: b64(sealed!.data),
            },
          ],
        }),
      });
      const { payloads } = (await res.json()) as { payloads: { data: string }[] };
      expect(Buffer.from(payloads[0]!.data, 'base64').toString()).toBe('"from last year"');
    } finally {
      await rotated.close();
    }
  });

  test('answers CORS preflight for the Web UI origin only, and refuses bad bodies and paths', async () => {
    const preflight = await fetch(`${server.url}/decode`, { method: 'OPTIONS' });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:8233');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('X-Namespace');
    expect((await post('/decode', { nope: 1 })).status).toBe(400);
    expect((await post('/elsewhere', { payloads: [] })).status).toBe(404);
  });
});

describe('a migration started with a password', () => {
  test('leaves no trace of it in the workflow history', async () => {
    const tw = await startTestWorker();
    try {
      const password = `Pw-${randomBytes(8).toString('hex')}`;
      const base = sampleSpec({ bucket: 'nonexistent-bucket-for-history-test', prefix: 'x' });
      const spec = {
        ...base,
        restore: { ...base.restore, ManageMasterUserPassword: undefined, MasterUserPassword: password },
      };
      const handle = await startMigration(tw, spec);
      await handle.result().catch(() => undefined);
      const history = await handle.fetchHistory();
      // Every payload's bytes, decoded from the history's base64, as text: a plaintext payload would show it.
      const payloads: { metadata?: Record<string, string>; data?: string }[] = [];
      const collect = (node: unknown): void => {
        if (Array.isArray(node)) node.forEach(collect);
        else if (node && typeof node === 'object') {
          const record = node as Record<string, unknown>;
          if (typeof record.data === 'string' && record.metadata) payloads.push(record);
          Object.values(record).forEach(collect);
        }
      };
      collect(JSON.parse(JSON.stringify(history)));
      const text = (b64text?: string) => Buffer.from(b64text ?? '', 'base64').toString('latin1');
      expect(payloads.length).toBeGreaterThan(3);
      expect(payloads.map((p) => text(p.data)).join('\n')).not.toContain(password);
      expect(JSON.stringify(history)).not.toContain(password);
      const input = payloads[0]!;
      expect(text(input.metadata?.encoding)).toBe('binary/encrypted');
      // The check can fail: decrypted with the codec, the workflow's input does hold the password.
      const [clear] = await new AesGcmCodec(keys).decode([
        {
          metadata: Object.fromEntries(
            Object.entries(input.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')]),
          ),
          data: Buffer.from(input.data ?? '', 'base64'),
        },
      ]);
      expect(Buffer.from(clear!.data!).toString()).toContain(password);
    } finally {
      await tw.stop();
    }
  });
});
