/**
 * moto's server mode on loopback: the Secrets Manager, IAM and KMS the stack's migrations and tests talk to
 * through the real AWS SDK clients. Bootstrap installs it into the project's .venv.
 */
import { join } from 'node:path';
import { motoBinary } from './binaries';
import { spawnServer, waitForPort, type ChildServer } from './child-server';
import { freePort } from './ports';

/** Where moto listens and the keys to sign with (moto accepts any; these are fixed so logs are comparable). */
export interface MotoServerAddress {
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

/** A running moto server. */
export interface MotoServer extends ChildServer, MotoServerAddress {}

/** Options of startMotoServer. */
export interface MotoServerOptions {
  /** The log is `<dataDir>/moto.log`. */
  dataDir: string;
  repoRoot: string;
  port?: number;
  region?: string;
  env?: Record<string, string | undefined>;
  /** Let moto outlive this process (the demo keeps it up with the cluster it holds the secret of). @default false */
  detached?: boolean;
}

/** Starts one moto_server and resolves once it accepts connections. */
export async function startMotoServer(options: MotoServerOptions): Promise<MotoServer> {
  const command = motoBinary(options.repoRoot);
  if (!command) throw new Error('no moto server: .venv/bin/moto_server does not exist; run scripts/bootstrap.sh');
  const port = options.port ?? (await freePort());
  const child = await spawnServer({
    name: 'moto_server',
    command,
    args: ['-H', '127.0.0.1', '-p', String(port)],
    logFile: join(options.dataDir, 'moto.log'),
    env: options.env,
    detached: options.detached,
    ready: () => waitForPort('127.0.0.1', port),
  });
  return {
    ...child,
    endpoint: `http://127.0.0.1:${port}`,
    region: options.region ?? 'us-east-1',
    accessKeyId: 'aurora-migrate-local',
    secretAccessKey: 'aurora-migrate-local-secret',
  };
}
