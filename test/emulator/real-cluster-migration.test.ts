/**
 * The emulated cluster is a real MySQL server started from the backup: a real-data backup of a real source goes
 * to S3, a real migration runs through Temporal, and the endpoint RDS returns serves the same data.
 */
import { DeleteDBClusterCommand, DeleteDBInstanceCommand, type RDSClient } from '@aws-sdk/client-rds';
import { existsSync } from 'node:fs';
import { createConnection } from 'mysql2/promise';
import { EmulatorControl } from '../../emulator/control-client';
import type { MysqlMajor } from '../../emulator/mysql/mysqld-binaries';
import type { RunningEmulator } from '../../emulator/server';
import { compareTables } from '../../scripts/demo/data-proof';
import {
  SAMPLE_SCHEMA,
  SAMPLE_TABLES,
  writeRealDataBackup,
  type RealDataBackup,
} from '../../scripts/fixtures/real-data';
import type { MigrationResult } from '../../workflows/types';
import { sampleSpec, startMigration, startTestWorker, type TestWorker } from '../helpers/migration';
import { useSourceMysql } from '../helpers/source-mysql';
import { testRdsClient, testS3Client, uniqueName } from '../helpers/stack';
import { masterCredentials, processAlive, startRealServerEmulator } from './real-cluster-fixture';

const TABLES = SAMPLE_TABLES.map((t) => `${SAMPLE_SCHEMA}.${t}`);
const TARGET: Record<MysqlMajor, string> = { '8.0': '8.0.mysql_aurora.3.04.0', '5.7': '5.7.mysql_aurora.2.12.0' };
/** 8.0 migrates the xbstream copy, 5.7 the directory copy: both layouts reach a real server. */
const LAYOUT: Record<MysqlMajor, 'xbstream' | 'directory'> = { '8.0': 'xbstream', '5.7': 'directory' };

describe.each(['8.0', '5.7'] as const)('a migration of a real MySQL %s backup', (major) => {
  const source = useSourceMysql(major);
  const s3 = testS3Client();
  let emulator: RunningEmulator;
  let rds: RDSClient;
  let worker: TestWorker;
  let backup: RealDataBackup;
  let result: MigrationResult;
  let sourceUuid: string;

  beforeAll(async () => {
    emulator = await startRealServerEmulator();
    rds = testRdsClient(emulator.endpoint);
    worker = await startTestWorker({ emulatorEndpoint: emulator.endpoint });
    backup = await writeRealDataBackup({
      source: source(),
      s3,
      bucket: uniqueName(`real-cluster-${major.replace('.', '')}`),
      targets: [{ layout: LAYOUT[major], prefix: 'backup/' }],
    });
    const admin = await source().adminConnection();
    const [rows] = await admin.query('SELECT @@server_uuid AS u');
    sourceUuid = (rows as { u: string }[])[0]!.u;
    await admin.end();
    const spec = sampleSpec({
      bucket: backup.bucket,
      prefix: 'backup',
      sourceEngineVersion: backup.serverVersion.replace(/-.*$/, ''),
    });
    spec.restore.EngineVersion = TARGET[major];
    const handle = await startMigration(worker, spec);
    result = await handle.result();
  }, 300_000);

  afterAll(async () => {
    await worker?.stop();
    rds?.destroy();
    s3.destroy();
    await emulator?.close();
  }, 120_000);

  async function connectAsMaster() {
    const { username, password } = await masterCredentials(result.cluster.MasterUserSecretArn!);
    return createConnection({ host: result.cluster.Endpoint, port: result.cluster.Port, user: username, password });
  }

  it('returns an endpoint that a MySQL client reaches, and the master login from the managed secret works', async () => {
    expect(result.cluster.Status).toBe('available');
    expect(result.cluster.Endpoint).toBe('127.0.0.1');
    expect(result.cluster.ReaderEndpoint).toBe('127.0.0.1');
    const connection = await connectAsMaster();
    const [rows] = await connection.query('SELECT CURRENT_USER() AS u, VERSION() AS v');
    await connection.end();
    expect((rows as { u: string; v: string }[])[0]).toEqual({ u: 'admin@%', v: backup.serverVersion });
  });

  it('serves the same tables with the same row counts, CHECKSUM TABLE values and row digests', async () => {
    const { username, password } = await masterCredentials(result.cluster.MasterUserSecretArn!);
    const target = { host: result.cluster.Endpoint, port: result.cluster.Port, user: username, password };
    const proof = await compareTables({ socketPath: source().socket, user: 'root' }, target, TABLES);
    expect(proof.tables.map((t) => t.target)).toEqual(backup.tables);
    expect(proof.equal).toBe(true);
  });

  it("has its own server_uuid, the source's GTID set, and Aurora's procedures for its major version", async () => {
    const connection = await connectAsMaster();
    const [ids] = await connection.query('SELECT @@server_uuid AS u, @@GLOBAL.gtid_executed AS g, @@gtid_mode AS m');
    const [routines] = await connection.query(
      "SELECT ROUTINE_NAME AS n FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = 'mysql' AND ROUTINE_NAME LIKE 'rds\\_%'",
    );
    await connection.end();
    const { u, g, m } = (ids as { u: string; g: string; m: string }[])[0]!;
    expect(u).not.toBe(sourceUuid);
    expect(g.replace(/\s+/g, '')).toBe(backup.binlog.gtidSet);
    expect(m).toBe('ON_PERMISSIVE');
    const names = (routines as { n: string }[]).map((r) => r.n);
    expect(names).toEqual(expect.arrayContaining(['rds_set_external_master', 'rds_start_replication']));
    if (major === '8.0') expect(names).toEqual(expect.arrayContaining(['rds_set_external_source']));
    else expect(names).not.toContain('rds_set_external_source');
  });

  it("carries the binlog position the restored server recovered to, which is the source's at the backup", () => {
    expect(result.recoveredBinlog).toEqual({ file: backup.binlog.file, position: backup.binlog.position });
    expect(result.binlog).toMatchObject({ file: backup.binlog.file, position: backup.binlog.position });
  });

  it("DeleteDBCluster stops the cluster's mysqld and removes its volume", async () => {
    const control = new EmulatorControl(emulator.endpoint);
    const { servers } = await control.clusterServers();
    const server = servers.find((s) => s.clusterId === result.cluster.DBClusterIdentifier);
    expect(server).toBeDefined();
    expect(processAlive(server!.pid)).toBe(true);
    expect(existsSync(server!.volumeDir)).toBe(true);
    for (const instance of result.instances) {
      await rds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: instance.DBInstanceIdentifier }));
    }
    await rds.send(
      new DeleteDBClusterCommand({ DBClusterIdentifier: result.cluster.DBClusterIdentifier, SkipFinalSnapshot: true }),
    );
    expect(processAlive(server!.pid)).toBe(false);
    expect(existsSync(server!.volumeDir)).toBe(false);
    expect((await control.clusterServers()).servers).toEqual([]);
  });
});
