/**
 * The RDS emulator as its own process (compiled JS under lib/), as the demo and the tests run it: a crash or
 * kill of the worker never takes the "AWS side" with it.
 */
import { join } from 'node:path';
import { spawnServer, waitForPort, type ChildServer } from './child-server';
import { freePort } from './ports';

/** A running emulator process. */
export interface EmulatorProcess extends ChildServer {
  endpoint: string;
}

/** Options of startEmulatorProcess. */
export interface EmulatorProcessOptions {
  repoRoot: string;
  dataDir: string;
  s3: { endpoint: string; region: string; accessKeyId: string; secretAccessKey: string };
  /** Lifecycle durations in ms, e.g. `{ clusterCreatingMs: 2000 }`. */
  timings?: Record<string, number>;
  /** The account's API rate limit, e.g. `{ enabled: false }`; RDS's defaults (burst 300, 12/s) otherwise. */
  rateLimit?: { enabled?: boolean; burst?: number; ratePerSecond?: number };
  /** Keep clusters across restarts in this file. */
  statePath?: string;
  /**
   * Serve restored clusters from real mysqlds (volumes under `dataDir`; see emulator/cluster-server/), with
   * ManageMasterUserPassword secrets in this Secrets Manager (moto). @default simulated clusters only
   */
  clusterServers?: {
    dataDir: string;
    secrets?: { endpoint: string; accessKeyId: string; secretAccessKey: string };
  };
  port?: number;
  /** Let the emulator (and the cluster servers it runs) outlive this process. @default false */
  detached?: boolean;
}

/** Starts `node lib/emulator/main.js` and resolves with its endpoint once it accepts connections. */
export async function startEmulatorProcess(options: EmulatorProcessOptions): Promise<EmulatorProcess> {
  const port = options.port ?? (await freePort());
  const args = [join(options.repoRoot, 'lib', 'emulator', 'main.js'), '--port', String(port)];
  args.push('--s3-endpoint', options.s3.endpoint, '--s3-region', options.s3.region);
  args.push('--s3-access-key', options.s3.accessKeyId, '--s3-secret-key', options.s3.secretAccessKey);
  if (options.timings) args.push('--timings', JSON.stringify(options.timings));
  if (options.rateLimit) args.push('--rate-limit', JSON.stringify(options.rateLimit));
  if (options.statePath) args.push('--state', options.statePath);
  const servers = options.clusterServers;
  if (servers) args.push('--data-dir', servers.dataDir);
  if (servers?.secrets) {
    args.push('--secrets-endpoint', servers.secrets.endpoint);
    args.push(
      '--secrets-access-key',
      servers.secrets.accessKeyId,
      '--secrets-secret-key',
      servers.secrets.secretAccessKey,
    );
  }
  const child = await spawnServer({
    name: 'rds emulator',
    command: process.execPath,
    args,
    logFile: join(options.dataDir, 'emulator.log'),
    detached: options.detached,
    ready: () => waitForPort('127.0.0.1', port),
  });
  return { ...child, endpoint: `http://127.0.0.1:${port}` };
}
