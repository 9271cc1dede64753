/**
 * A real cluster server lives as long as its emulator: stopping the emulator stops every mysqld it started, and a
 * persistent emulator (state file and data dir kept) starts them again, serving the same data with the same login.
 */
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { DescribeDBClustersCommand, RestoreDBClusterFromS3Command } from '@aws-sdk/client-rds';
import { createConnection } from 'mysql2/promise';
import { EmulatorControl } from '../../emulator/control-client';
import { startEmulator, type EmulatorOptions } from '../../emulator/server';
import { SAMPLE_ROLE_ARN } from '../../scripts/fixtures/sample-spec';
import { writeRealDataBackup } from '../../scripts/fixtures/real-data';
import { TEST_EMULATOR_TIMINGS } from '../setup/global-setup';
import { useSourceMysql } from '../helpers/source-mysql';
import { testRdsClient, testS3Client, testStack, uniqueName } from '../helpers/stack';
import { processAlive, settledStatus } from './real-cluster-fixture';

const PASSWORD = 'Restart-Passw0rd';

describe('a persistent emulator with real cluster servers', () => {
  const source = useSourceMysql('8.0');
  const s3 = testS3Client();
  afterAll(() => s3.destroy());

  it('stops every mysqld when it stops, and starts them again on the same volume when it restarts', async () => {
    const backup = await writeRealDataBackup({
      source: source(),
      s3,
      bucket: uniqueName('real-cluster-restart'),
      targets: [{ layout: 'directory', prefix: 'b/' }],
    });
    const dir = mkdtempSync(join(testStack().scratchDir, 'emulator-restart-'));
    const options: EmulatorOptions = {
      s3: testStack().s3,
      dataDir: join(dir, 'volumes'),
      statePath: join(dir, 'state.json'),
      timings: TEST_EMULATOR_TIMINGS,
      rateLimit: { enabled: false },
    };
    const id = uniqueName('restart');
    let emulator = await startEmulator(options);
    let rds = testRdsClient(emulator.endpoint);
    try {
      await rds.send(
        new RestoreDBClusterFromS3Command({
          DBClusterIdentifier: id,
          Engine: 'aurora-mysql',
          EngineVersion: '8.0.mysql_aurora.3.04.0',
          MasterUsername: 'admin',
          MasterUserPassword: PASSWORD,
          SourceEngine: 'mysql',
          SourceEngineVersion: backup.serverVersion,
          S3BucketName: backup.bucket,
          S3Prefix: 'b',
          S3IngestionRoleArn: SAMPLE_ROLE_ARN,
        }),
      );
      expect(await settledStatus(rds, id)).toBe('available');
      const [first] = (await new EmulatorControl(emulator.endpoint).clusterServers()).servers;
      expect(first).toBeDefined();
      expect(await customers(emulator.endpoint, id)).toBe(backup.tables[0]!.rows);
      rds.destroy();
      await emulator.close();
      expect(processAlive(first!.pid)).toBe(false);

      emulator = await startEmulator(options);
      rds = testRdsClient(emulator.endpoint);
      const [again] = (await new EmulatorControl(emulator.endpoint).clusterServers()).servers;
      expect(again).toMatchObject({ clusterId: id, volumeDir: first!.volumeDir });
      expect(again!.pid).not.toBe(first!.pid);
      expect(processAlive(again!.pid)).toBe(true);
      expect(await customers(emulator.endpoint, id)).toBe(backup.tables[0]!.rows);
    } finally {
      rds.destroy();
      await emulator.close();
    }
  }, 240_000);

  /** Rows of shop.customers, read through the endpoint DescribeDBClusters returns, as the master user. */
  async function customers(endpoint: string, id: string): Promise<number> {
    const rds = testRdsClient(endpoint);
    const out = await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: id }));
    rds.destroy();
    const cluster = out.DBClusters?.[0];
    const connection = await createConnection({
      host: cluster?.Endpoint,
      port: cluster?.Port,
      user: 'admin',
      password: PASSWORD,
    });
    try {
      const [rows] = await connection.query('SELECT COUNT(*) AS n FROM shop.customers');
      return Number((rows as { n: number }[])[0]?.n);
    } finally {
      await connection.end();
    }
  }
});
