/**
 * A real S3-compatible server on loopback: versitygw with its posix backend, or moto's server mode when
 * versitygw could not be built (bootstrap then installs moto into the project's .venv).
 */
import { S3Client } from '@aws-sdk/client-s3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { motoBinary, versitygwBinary } from './binaries';
import { spawnServer, waitForPort, type ChildServer } from './child-server';
import { freePort } from './ports';

/** A running S3 server and the credentials it accepts. */
export interface S3Server extends ChildServer, S3ServerAddress {
  kind: 'versitygw' | 'moto';
}

/** Where a local S3 server listens and the keys it accepts (an S3Server, or its description in a file). */
export interface S3ServerAddress {
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

/** A real S3 client for a local S3 server: path-style addressing and the server's own keys. */
export function localS3Client(server: S3ServerAddress): S3Client {
  return new S3Client({
    endpoint: server.endpoint,
    region: server.region,
    forcePathStyle: true,
    credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey },
  });
}

/** Options of startS3Server. */
export interface S3ServerOptions {
  /** Buckets live in `<dataDir>/s3`; the log is `<dataDir>/s3.log`. */
  dataDir: string;
  repoRoot: string;
  port?: number;
  region?: string;
  env?: Record<string, string | undefined>;
}

/** Starts versitygw (or moto) and resolves once it accepts connections. */
export async function startS3Server(options: S3ServerOptions): Promise<S3Server> {
  const port = options.port ?? (await freePort());
  const region = options.region ?? 'us-east-1';
  const accessKeyId = 'aurora-migrate-local';
  const secretAccessKey = 'aurora-migrate-local-secret';
  const root = join(options.dataDir, 's3-buckets');
  // versitygw compares paths as strings: the sidecar must not share the root's name as a prefix.
  const sidecar = join(options.dataDir, 's3-metadata');
  mkdirSync(root, { recursive: true });
  mkdirSync(sidecar, { recursive: true });
  const versitygw = versitygwBinary(options.env);
  const moto = versitygw ? undefined : motoBinary(options.repoRoot);
  if (!versitygw && !moto) {
    throw new Error('no S3 server: neither versitygw nor .venv/bin/moto_server exists; run scripts/bootstrap.sh');
  }
  const command = versitygw ?? moto!;
  // The sidecar keeps object metadata in files, so the posix backend works on filesystems without xattrs.
  const args = versitygw
    ? ['--port', `127.0.0.1:${port}`, '--access', accessKeyId, '--secret', secretAccessKey, '--region', region].concat([
        '--quiet',
        'posix',
        '--sidecar',
        sidecar,
        root,
      ])
    : ['-H', '127.0.0.1', '-p', String(port)];
  const child = await spawnServer({
    name: versitygw ? 'versitygw' : 'moto_server',
    command,
    args,
    logFile: join(options.dataDir, 's3.log'),
    env: options.env,
    ready: () => waitForPort('127.0.0.1', port),
  });
  return {
    ...child,
    kind: versitygw ? 'versitygw' : 'moto',
    endpoint: `http://127.0.0.1:${port}`,
    region,
    accessKeyId,
    secretAccessKey,
  };
}
