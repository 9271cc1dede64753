/**
 * The RDS emulator's HTTP server: the Query API on `POST /` and the JSON control endpoint under `/_emulator/`.
 * Other code starts it in-process with {@link startEmulator}; main.ts runs it as a process.
 */
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CallLog } from './calls';
import { Catalogue } from './catalogue';
import { ClusterServers } from './cluster-server/cluster-servers';
import { ManagedSecrets, type SecretsManagerOptions } from './cluster-server/managed-secret';
import type { EmulatorContext } from './context';
import { serveControl } from './control';
import { findMysqld } from './mysql/mysqld-binaries';
import { endpointHashFor } from './naming';
import { serveRds } from './rds-endpoint';
import { DEFAULT_RATE_LIMIT, TokenBucket, type RateLimitSettings } from './rate-limit';
import { RuleStore } from './rules';
import { S3Checker, type S3CheckOptions } from './s3-check';
import { EmulatorStore } from './state';
import { DEFAULT_TIMINGS, type EmulatorTimings } from './timings';

export type { EmulatorTimings } from './timings';

/** How to run an emulator. */
export interface EmulatorOptions {
  /** Interface to listen on. @default '127.0.0.1' */
  host?: string;
  /** TCP port; 0 picks a free one. @default 0 */
  port?: number;
  /** Region in ARNs and endpoints. @default 'us-east-1' */
  region?: string;
  /** Account in ARNs. @default '123456789012' */
  accountId?: string;
  /** The S3 server RestoreDBClusterFromS3 checks buckets on; without it the check is skipped. */
  s3?: S3CheckOptions;
  /** Lifecycle durations in ms; unspecified phases take {@link DEFAULT_TIMINGS}. */
  timings?: Partial<EmulatorTimings>;
  /** The account's API rate limit; unspecified fields take RDS's defaults ({@link DEFAULT_RATE_LIMIT}). */
  rateLimit?: Partial<RateLimitSettings>;
  /** JSON file state is loaded from and saved to (atomically); in-memory only when absent. */
  statePath?: string;
  /**
   * Where restored clusters' volumes and mysqld run folders live. With it and `s3`, a restore whose backup's
   * major version has a mysqld installed (findMysqld) is served by a real mysqld started from the backup;
   * without it every cluster is simulated (metadata only), as the fleet benchmark wants.
   */
  dataDir?: string;
  /**
   * `auto`: real cluster servers when `dataDir` and `s3` are set (each restore still needs a mysqld of its
   * backup's major version, else it is metadata-only and its event says why); `off`: the simulated lifecycle
   * only, whatever else is set. @default 'auto'
   */
  clusterServers?: 'auto' | 'off';
  /** The Secrets Manager (moto) ManageMasterUserPassword secrets are created in; without it none is. */
  secretsManager?: SecretsManagerOptions;
}

/** A listening emulator. */
export interface RunningEmulator {
  /** `http://host:port`, for the RDS client's `endpoint`. */
  endpoint: string;
  port: number;
  /** Stops listening, drops connections and writes pending state. */
  close(): Promise<void>;
}

/** Largest request body accepted, in bytes. */
const MAX_BODY_BYTES = 1024 * 1024;

/** Starts an emulator and resolves once it listens. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const region = options.region ?? 'us-east-1';
  const accountId = options.accountId ?? '123456789012';
  const initialTimings: EmulatorTimings = { ...DEFAULT_TIMINGS, ...options.timings };
  const initialRateLimit: RateLimitSettings = { ...DEFAULT_RATE_LIMIT, ...options.rateLimit };
  const store = new EmulatorStore(options.statePath);
  const ctx: EmulatorContext = {
    store,
    rules: new RuleStore(),
    catalogue: new Catalogue(region),
    calls: new CallLog(),
    region,
    accountId,
    endpointHash: endpointHashFor(accountId, region),
    timings: { ...initialTimings },
    rateLimit: new TokenBucket(initialRateLimit),
    s3: options.s3 ? new S3Checker(options.s3) : undefined,
    clusterServers: clusterServersFor(options, store),
    secrets: options.secretsManager
      ? new ManagedSecrets({ ...options.secretsManager, region: options.secretsManager.region ?? region })
      : undefined,
  };
  await ctx.clusterServers?.resume(store.allClusters());
  const server = createServer((req, res) => {
    readBody(req, res, (body) => {
      const serving = req.url?.startsWith('/_emulator/')
        ? Promise.resolve(serveControl(ctx, { timings: initialTimings, rateLimit: initialRateLimit }, req, res, body))
        : serveRds(ctx, req, res, body);
      serving.catch((err: unknown) => {
        console.error('emulator: request failed:', err);
        res.destroy();
      });
    });
  });
  // Longer than any client's idle keep-alive, so the server never closes a socket a client is about to reuse.
  server.keepAliveTimeout = 120_000;
  server.headersTimeout = 125_000;
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    endpoint: `http://${urlHost}:${port}`,
    port,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      ctx.s3?.destroy();
      ctx.secrets?.destroy();
      await ctx.clusterServers?.close();
      await ctx.store.flush();
    },
  };
}

/** The real cluster servers, when configured (see EmulatorOptions.clusterServers). */
function clusterServersFor(options: EmulatorOptions, store: EmulatorStore): ClusterServers | undefined {
  if (options.clusterServers === 'off' || !options.dataDir || !options.s3) return undefined;
  const binaries = { '8.0': findMysqld('8.0'), '5.7': findMysqld('5.7') };
  return new ClusterServers({ dataDir: options.dataDir, s3: options.s3, binaries }, store);
}

function readBody(req: IncomingMessage, res: ServerResponse, onBody: (body: string) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      res.writeHead(413, { Connection: 'close' }).end();
      req.destroy();
      return;
    }
    chunks.push(chunk);
  });
  req.on('end', () => onBody(Buffer.concat(chunks).toString('utf8')));
  req.on('error', () => undefined);
}
