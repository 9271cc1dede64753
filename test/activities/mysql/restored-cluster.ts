/**
 * A real cluster to replicate into, made the cheap way: a real source MySQL, its real-data backup in S3, and
 * RestoreDBClusterFromS3 on an emulator with real cluster servers (no workflow, no instances), after which the
 * cluster's own mysqld serves the backup's data. One per test file and major version: restores are slow.
 */
import { DescribeDBClustersCommand, RestoreDBClusterFromS3Command, type RDSClient } from '@aws-sdk/client-rds';
import { createConnection, type Connection } from 'mysql2/promise';
import { readRecoveredPosition } from '../../../activities/rds/recovered-position';
import type { WriterLogin } from '../../../activities/mysql/connect';
import type { MysqlMajor } from '../../../emulator/mysql/mysqld-binaries';
import type { RunningEmulator } from '../../../emulator/server';
import { SAMPLE_ROLE_ARN } from '../../../scripts/fixtures/sample-spec';
import { writeRealDataBackup, type RealDataBackup } from '../../../scripts/fixtures/real-data';
import type { SourceMysql } from '../../../scripts/stack/source-mysql';
import type { ReplicationSource } from '../../../workflows/replication-types';
import type { BinlogCoordinates } from '../../../workflows/types';
import { startRealServerEmulator, settledStatus } from '../../emulator/real-cluster-fixture';
import { useSourceMysql } from '../../helpers/source-mysql';
import { testRdsClient, testS3Client, uniqueName } from '../../helpers/stack';

/** The engine version of the cluster restored from a backup of each major version. */
const TARGET: Record<MysqlMajor, string> = { '8.0': '8.0.mysql_aurora.3.04.0', '5.7': '5.7.mysql_aurora.2.12.0' };
/** The master password of the test cluster (a literal, as over encrypted payloads). */
const MASTER_PASSWORD = 'Writer-Passw0rd-7';

/** Everything a writer-activity test uses. */
export interface RestoredCluster {
  source: SourceMysql;
  backup: RealDataBackup;
  /** The position the cluster's RDS event says it recovered to. */
  recovered: BinlogCoordinates | undefined;
  /** The master login, as the workflow builds it. */
  writer: WriterLogin;
  /** The source as `replication.source`: the replication user, its password as a literal. */
  replicationSource: ReplicationSource;
  /** The source as its admin user (writes), and as root (grants, binlog purges). */
  sourceAdmin: Connection;
  sourceRoot: Connection;
  /** The cluster's writer as the master user. */
  target: Connection;
  rds: RDSClient;
}

/** Registers hooks that build the cluster before the file's tests and tear everything down after them. */
export function useRestoredCluster(major: MysqlMajor): () => RestoredCluster {
  const source = useSourceMysql(major);
  const s3 = testS3Client();
  let emulator: RunningEmulator | undefined;
  let cluster: RestoredCluster | undefined;
  beforeAll(async () => {
    emulator = await startRealServerEmulator();
    const rds = testRdsClient(emulator.endpoint);
    const backup = await writeRealDataBackup({
      source: source(),
      s3,
      bucket: uniqueName(`writer-${major.replace('.', '')}`),
      targets: [{ layout: 'directory', prefix: 'b/' }],
      sample: { seed: 7, size: { customers: 200, products: 40, orders: 300 } },
    });
    const id = uniqueName('writer');
    const since = new Date().toISOString();
    await rds.send(
      new RestoreDBClusterFromS3Command({
        DBClusterIdentifier: id,
        Engine: 'aurora-mysql',
        EngineVersion: TARGET[major],
        MasterUsername: 'admin',
        MasterUserPassword: MASTER_PASSWORD,
        SourceEngine: 'mysql',
        SourceEngineVersion: backup.serverVersion.replace(/-.*$/, ''),
        S3BucketName: backup.bucket,
        S3Prefix: 'b',
        S3IngestionRoleArn: SAMPLE_ROLE_ARN,
      }),
    );
    const status = await settledStatus(rds, id);
    if (status !== 'available') throw new Error(`the restored cluster ended ${status}`);
    const described = (await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: id }))).DBClusters?.[0];
    const writer: WriterLogin = {
      host: described?.Endpoint ?? '',
      port: described?.Port ?? 0,
      user: 'admin',
      password: MASTER_PASSWORD,
    };
    const { host, port, replication } = source();
    cluster = {
      source: source(),
      backup,
      recovered: await readRecoveredPosition(rds, { clusterId: id, instanceIds: [], since }),
      writer,
      replicationSource: { host, port, user: replication.user, password: replication.password },
      sourceAdmin: await source().adminConnection(),
      sourceRoot: await source().rootConnection(),
      target: await createConnection({
        host: writer.host,
        port: writer.port,
        user: 'admin',
        password: MASTER_PASSWORD,
      }),
      rds,
    };
  }, 300_000);
  afterAll(async () => {
    await cluster?.sourceAdmin.end();
    await cluster?.sourceRoot.end();
    await cluster?.target.end();
    cluster?.rds.destroy();
    s3.destroy();
    await emulator?.close();
  }, 120_000);
  return () => {
    if (!cluster) throw new Error('the restored cluster is not ready: use it inside a test, after beforeAll');
    return cluster;
  };
}

/** Rows of one statement on a connection. */
export async function rows(connection: Connection, sql: string, values: unknown[] = []) {
  const [result] = await connection.query(sql, values);
  return result as Array<Record<string, unknown>>;
}

/** The writer's one replica status row (8.0.15 and 5.7 know only `SHOW SLAVE STATUS`), or undefined. */
export async function slaveStatus(target: Connection): Promise<Record<string, unknown> | undefined> {
  return (await rows(target, 'SHOW SLAVE STATUS'))[0];
}

/** Polls `probe` until it returns a value (a failing probe is "not yet"). */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
