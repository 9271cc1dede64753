/**
 * A fault-injecting HTTP proxy on 127.0.0.1, in front of one upstream server (the S3 server, or the RDS
 * emulator): each request is answered with a 503 SlowDown, a 500 InternalError, a dropped connection, or
 * forwarded unchanged (Host header included, so SigV4 signatures stay valid). It counts what it did and knows
 * which requests the upstream is holding right now.
 */
import { Agent, createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Probability of each fault per request (marginal: 0.2 means one request in five). */
export interface ProxyFaults {
  /** 503 with an S3 `SlowDown` error body (S3's throttling). @default 0 */
  slowDown?: number;
  /** 500 with an S3 `InternalError` body. @default 0 */
  internal?: number;
  /** Socket destroyed without a response. @default 0 */
  drop?: number;
}

/** Options of startFaultProxy. */
export interface FaultProxyOptions {
  /** `http://127.0.0.1:port` of the upstream. */
  target: string;
  faults?: ProxyFaults;
  /** Random source in [0, 1) (seeded in tests, so a run can be replayed). @default Math.random */
  random?: () => number;
  /** Names a forwarded request for {@link FaultProxy.inFlight} (e.g. its RDS Action); undefined: unnamed. */
  label?: (req: IncomingMessage, body: Buffer) => string | undefined;
}

/** What the proxy did so far. */
export interface ProxyCounters {
  requests: number;
  forwarded: number;
  slowDown: number;
  internal: number;
  drop: number;
  /** Forwarded requests whose upstream failed (connection refused or reset). */
  upstreamErrors: number;
}

/** A running proxy. */
export interface FaultProxy {
  endpoint: string;
  counters: ProxyCounters;
  /** Requests forwarded and not yet answered by the upstream, optionally only those with this label. */
  inFlight(label?: string): number;
  /** Labels of the requests the upstream holds right now (one entry per request). */
  inFlightLabels(): string[];
  /** Changes the fault mix (e.g. to zero once a phase is over). */
  setFaults(faults: ProxyFaults): void;
  close(): Promise<void>;
}

/** Starts a proxy on a free port of 127.0.0.1. */
export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const upstream = new URL(options.target);
  const random = options.random ?? Math.random;
  let faults: Required<ProxyFaults> = { slowDown: 0, internal: 0, drop: 0, ...options.faults };
  const counters: ProxyCounters = { requests: 0, forwarded: 0, slowDown: 0, internal: 0, drop: 0, upstreamErrors: 0 };
  const inFlight = new Map<string, number>();
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });

  const forward = (req: IncomingMessage, res: ServerResponse, body: Buffer): void => {
    counters.forwarded += 1;
    const label = options.label?.(req, body) ?? '';
    inFlight.set(label, (inFlight.get(label) ?? 0) + 1);
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      inFlight.set(label, (inFlight.get(label) ?? 1) - 1);
    };
    const out = httpRequest(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers, agent },
      (up) => {
        finish();
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
        up.on('error', () => res.destroy());
      },
    );
    out.on('error', () => {
      finish();
      counters.upstreamErrors += 1;
      res.destroy();
    });
    out.end(body);
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('error', () => undefined);
    req.on('end', () => {
      counters.requests += 1;
      const body = Buffer.concat(chunks);
      const draw = random();
      if (draw < faults.slowDown) {
        counters.slowDown += 1;
        return sendS3Error(res, 503, 'SlowDown', 'Please reduce your request rate.');
      }
      if (draw < faults.slowDown + faults.internal) {
        counters.internal += 1;
        return sendS3Error(res, 500, 'InternalError', 'We encountered an internal error. Please try again.');
      }
      if (draw < faults.slowDown + faults.internal + faults.drop) {
        counters.drop += 1;
        req.socket.destroy();
        return;
      }
      forward(req, res, body);
    });
  });
  server.keepAliveTimeout = 120_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    counters,
    inFlight: (label) =>
      label === undefined ? [...inFlight.values()].reduce((a, b) => a + b, 0) : (inFlight.get(label) ?? 0),
    inFlightLabels: () => [...inFlight.entries()].flatMap(([label, n]) => Array.from({ length: n }, () => label)),
    setFaults: (next) => {
      faults = { slowDown: 0, internal: 0, drop: 0, ...next };
    },
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      agent.destroy();
    },
  };
}

function sendS3Error(res: ServerResponse, status: number, code: string, message: string): void {
  const requestId = Math.random().toString(16).slice(2, 18).toUpperCase();
  const xml =
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<Error><Code>${code}</Code><Message>${message}</Message><RequestId>${requestId}</RequestId></Error>`;
  res.writeHead(status, {
    'Content-Type': 'application/xml',
    'Content-Length': Buffer.byteLength(xml),
    'x-amz-request-id': requestId,
  });
  res.end(xml);
}

/** `Action:resource-id` of an RDS Query API request (form body), for labelling emulator traffic. */
export function rdsCallLabel(_req: IncomingMessage, body: Buffer): string | undefined {
  const form = new URLSearchParams(body.toString('utf8'));
  const action = form.get('Action');
  if (!action) return undefined;
  const id = form.get('DBInstanceIdentifier') ?? form.get('DBClusterIdentifier') ?? '';
  return `${action}:${id.toLowerCase()}`;
}
