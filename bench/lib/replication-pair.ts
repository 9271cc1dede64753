/**
 * The two real servers a cutover runs between, for the cutover benchmark: a source MySQL with a real-data backup
 * in S3, and an emulated Aurora cluster (a real mysqld started from that backup by an in-process emulator with
 * cluster servers) replicating from it, set up by hand through the cluster's own `mysql.rds_*` procedures.
 */
import { DescribeDBClustersCommand, RDSClient, RestoreDBClusterFromS3Command } from '@aws-sdk/client-rds';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createConnection, type Connection } from 'mysql2/promise';
import { startEmulator, type RunningEmulator } from '../../emulator/server';
import { writeRealDataBackup, type RealDataBackup } from '../../scripts/fixtures/real-data';
import { SAMPLE_ROLE_ARN } from '../../scripts/fixtures/sample-spec';
import { startSourceMysql, type SourceMysql } from '../../scripts/stack/source-mysql';
import type { BenchStack } from './bench-stack';

/** How to log in to the cluster's writer as its master user. */
export interface ClusterLogin {
  clusterId: string;
  host: string;
  port: number;
  user: string;
  password: string;
}

/** A source, its backup, and an emulator serving restored clusters from real mysqlds. */
export interface ReplicationPair {
  source: SourceMysql;
  backup: RealDataBackup;
  emulator: RunningEmulator;
  rds: RDSClient;
  /** Restores a cluster from the backup and resolves with its master login once its mysqld answers. */
  restoreCluster(name: string): Promise<ClusterLogin>;
  stop(): Promise<void>;
}

/** Short lifecycle phases: the benchmark measures the cutover, not the restore. */
const TIMINGS = { clusterCreatingMs: 500, clusterMigratingMs: 1000, instanceCreatingMs: 500, deletingMs: 200 };
const MASTER_PASSWORD = 'bench-Cutover-Passw0rd';

/** Starts the source (8.0), writes its backup to S3 and starts the emulator with real cluster servers. */
export async function startReplicationPair(stack: BenchStack): Promise<ReplicationPair> {
  const dir = join(stack.settings.dataDir, 'cutover');
  mkdirSync(join(dir, 'volumes'), { recursive: true });
  const source = await startSourceMysql({ major: '8.0', dataDir: join(dir, 'source') });
  let emulator: RunningEmulator | undefined;
  try {
    const backup = await writeRealDataBackup({
      source,
      s3: stack.s3,
      bucket: 'bench-cutover',
      targets: [{ layout: 'directory', prefix: 'backup/' }],
    });
    emulator = await startEmulator({
      s3: stack.stack.s3,
      dataDir: join(dir, 'volumes'),
      secretsManager: stack.stack.moto,
      timings: TIMINGS,
      rateLimit: { enabled: false },
    });
    const rds = new RDSClient({
      endpoint: emulator.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
    });
    const running = emulator;
    return {
      source,
      backup,
      emulator: running,
      rds,
      restoreCluster: (name) => restore(rds, backup, name),
      async stop() {
        rds.destroy();
        await running.close();
        await source.stop();
      },
    };
  } catch (err) {
    await emulator?.close();
    await source.stop();
    throw err;
  }
}

async function restore(rds: RDSClient, backup: RealDataBackup, name: string): Promise<ClusterLogin> {
  await rds.send(
    new RestoreDBClusterFromS3Command({
      DBClusterIdentifier: name,
      Engine: 'aurora-mysql',
      EngineVersion: '8.0.mysql_aurora.3.04.0',
      MasterUsername: 'admin',
      MasterUserPassword: MASTER_PASSWORD,
      SourceEngine: 'mysql',
      SourceEngineVersion: backup.serverVersion.replace(/-.*$/, ''),
      S3BucketName: backup.bucket,
      S3Prefix: 'backup',
      S3IngestionRoleArn: SAMPLE_ROLE_ARN,
    }),
  );
  const deadline = Date.now() + 180_000;
  for (;;) {
    const out = await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: name }));
    const cluster = out.DBClusters?.[0];
    if (cluster?.Status === 'available' && cluster.Endpoint && cluster.Port) {
      const login = {
        clusterId: name,
        host: cluster.Endpoint,
        port: cluster.Port,
        user: 'admin',
        password: MASTER_PASSWORD,
      };
      const c = await connectCluster(login).catch(() => undefined);
      if (c) {
        await c.end();
        return login;
      }
    }
    if (cluster?.Status && !['creating', 'migrating', 'available'].includes(cluster.Status)) {
      throw new Error(`cluster ${name} ended ${cluster.Status}`);
    }
    if (Date.now() > deadline) throw new Error(`cluster ${name} not served after 3 minutes (${cluster?.Status})`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

/** A connection to the cluster's writer as the master user. */
export function connectCluster(login: ClusterLogin): Promise<Connection> {
  return createConnection({ host: login.host, port: login.port, user: login.user, password: login.password });
}
