/**
 * The codec endpoint the Temporal Web UI (and `temporal --codec-endpoint`) calls to show encrypted payloads in
 * clear: Temporal's remote-codec protocol (`POST /decode` and `/encode` with `{ payloads: [...] }`, base64
 * fields) over the same AES-256-GCM codec the worker and clients use.
 *
 * It decrypts for whoever can reach it: it listens on 127.0.0.1 by default and answers CORS only for the
 * configured Web UI origin. In a shared deployment, put it behind the same authentication as the Web UI.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Payload } from '@temporalio/common';
import { AesGcmCodec } from '../../config/codec';
import type { CodecKey } from '../../config/app-config';

/** Options of startCodecServer. */
export interface CodecServerOptions {
  keys: CodecKey[];
  /** Origin allowed to call from a browser, e.g. `http://127.0.0.1:8233`; none: no CORS headers. */
  allowOrigin?: string;
  host?: string;
  /** @default 8081; 0 picks a free port */
  port?: number;
  /** Largest request body, in bytes. @default 4 MiB */
  bodyLimit?: number;
}

/** A listening codec server. */
export interface RunningCodecServer {
  url: string;
  close(): Promise<void>;
}

interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}

/** Starts the codec endpoint and resolves once it listens. */
export async function startCodecServer(options: CodecServerOptions): Promise<RunningCodecServer> {
  const codec = new AesGcmCodec(options.keys);
  const bodyLimit = options.bodyLimit ?? 4 * 1024 * 1024;
  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => send(res, 500, { message: 'codec failure', detail: String(err) }));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (options.allowOrigin) {
      res.setHeader('Access-Control-Allow-Origin', options.allowOrigin);
      res.setHeader('Access-Control-Allow-Credentials', 'true');
      res.setHeader('Vary', 'Origin');
    }
    if (req.method === 'OPTIONS') {
      res.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
      res.setHeader('Access-Control-Allow-Headers', 'Content-Type, X-Namespace, Authorization');
      res.writeHead(204).end();
      return;
    }
    const path = (req.url ?? '').split('?')[0];
    if (req.method !== 'POST' || (path !== '/decode' && path !== '/encode')) {
      send(res, 404, { message: 'POST /decode or /encode' });
      return;
    }
    const body = await readBody(req, bodyLimit);
    if (body === undefined) {
      send(res, 413, { message: `body larger than ${bodyLimit} bytes` });
      return;
    }
    let payloads: Payload[];
    try {
      const parsed = JSON.parse(body) as { payloads?: JsonPayload[] };
      if (!Array.isArray(parsed.payloads)) throw new Error('payloads must be an array');
      payloads = parsed.payloads.map(fromJson);
    } catch (err) {
      send(res, 400, { message: `expected {"payloads":[{"metadata":{…},"data":"…"}]}: ${(err as Error).message}` });
      return;
    }
    const result = path === '/decode' ? await codec.decode(payloads) : await codec.encode(payloads);
    send(res, 200, { payloads: result.map(toJson) });
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 8081, options.host ?? '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function fromJson(p: JsonPayload): Payload {
  return {
    metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
    data: Buffer.from(p.data ?? '', 'base64'),
  };
}

function toJson(p: Payload): JsonPayload {
  return {
    metadata: Object.fromEntries(
      Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? new Uint8Array()).toString('base64')]),
    ),
    data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
}

function readBody(req: IncomingMessage, limit: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        resolve(undefined);
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
