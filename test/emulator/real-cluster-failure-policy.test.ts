/**
 * The workflow's failure policy `delete` on a real cluster server: when an instance fails after the cluster came
 * up from the backup, the migration deletes what it made, and the cluster's mysqld stops and its volume goes.
 */
import { existsSync } from 'node:fs';
import { EmulatorControl } from '../../emulator/control-client';
import { writeRealDataBackup } from '../../scripts/fixtures/real-data';
import { failureOf, sampleSpec, startMigration, startTestWorker } from '../helpers/migration';
import { useSourceMysql } from '../helpers/source-mysql';
import { testS3Client, uniqueName } from '../helpers/stack';
import { processAlive, servedServer, startRealServerEmulator } from './real-cluster-fixture';

describe('a migration with onFailure delete whose writer fails after the cluster is served', () => {
  const source = useSourceMysql('8.0');
  const s3 = testS3Client();
  afterAll(() => s3.destroy());

  it("stops the cluster's mysqld and removes its volume", async () => {
    const backup = await writeRealDataBackup({
      source: source(),
      s3,
      bucket: uniqueName('real-cluster-policy'),
      targets: [{ layout: 'directory', prefix: 'b/' }],
    });
    const emulator = await startRealServerEmulator();
    const worker = await startTestWorker({ emulatorEndpoint: emulator.endpoint });
    const control = new EmulatorControl(emulator.endpoint);
    try {
      const spec = sampleSpec({
        bucket: backup.bucket,
        prefix: 'b',
        sourceEngineVersion: backup.serverVersion,
        options: { onFailure: 'delete' },
      });
      spec.restore.EngineVersion = '8.0.mysql_aurora.3.04.0';
      const clusterId = spec.restore.DBClusterIdentifier;
      await control.addRule({
        match: { instanceId: spec.instances[0]!.DBInstanceIdentifier },
        outcome: { finalStatus: 'incompatible-parameters' },
      });
      const result = (await startMigration(worker, spec)).result();
      const served = await servedServer(control, clusterId);
      expect(served).toBeDefined();
      expect(processAlive(served.pid)).toBe(true);

      const failure = await failureOf(result);
      expect(failure.message).toContain('incompatible-parameters');
      expect(failure.message).toContain('Failure policy delete: removed');
      expect(processAlive(served.pid)).toBe(false);
      expect(existsSync(served.volumeDir)).toBe(false);
      expect((await control.clusterServers()).servers).toEqual([]);
    } finally {
      await worker.stop();
      await emulator.close();
    }
  }, 300_000);
});
