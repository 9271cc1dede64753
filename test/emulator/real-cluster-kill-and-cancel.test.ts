/**
 * A real cluster server under the two interruptions a production migration meets: its worker SIGKILLed in the
 * middle of the restore (a second worker finishes with exactly one cluster, serving the source's data), and a
 * cancellation once the cluster is served (the failure policy `delete` stops its mysqld and removes its volume).
 */
import { DescribeDBClustersCommand } from '@aws-sdk/client-rds';
import { existsSync } from 'node:fs';
import type { Client } from '@temporalio/client';
import { loadConfig } from '../../config/app-config';
import { EmulatorControl } from '../../emulator/control-client';
import type { RunningEmulator } from '../../emulator/server';
import { compareTables } from '../../scripts/demo/data-proof';
import {
  SAMPLE_SCHEMA,
  SAMPLE_TABLES,
  writeRealDataBackup,
  type RealDataBackup,
} from '../../scripts/fixtures/real-data';
import { migrationWorkflowId, WORKFLOW_TYPE } from '../../workflows/ids';
import type { MigrationInput, MigrationResult } from '../../workflows/types';
import { connectTestClient, failureOf, sampleSpec } from '../helpers/migration';
import { useSourceMysql } from '../helpers/source-mysql';
import { testRdsClient, testS3Client, uniqueName } from '../helpers/stack';
import { spawnWorkerProcess, type WorkerProcess } from '../helpers/worker-process';
import { masterCredentials, processAlive, servedServer, startRealServerEmulator } from './real-cluster-fixture';

const TABLES = SAMPLE_TABLES.map((t) => `${SAMPLE_SCHEMA}.${t}`);

/** Polls the emulator's call log until it holds an `action` call naming `clusterId`; fails after `timeoutMs`. */
async function untilCalled(control: EmulatorControl, action: string, clusterId: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!(await control.calls(action)).log.some((c) => JSON.stringify(c).includes(clusterId))) {
    if (Date.now() > deadline) throw new Error(`${action} was never called for ${clusterId}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('a real cluster server when the migration is interrupted', () => {
  const source = useSourceMysql('8.0');
  const s3 = testS3Client();
  let backup: RealDataBackup;
  let emulator: RunningEmulator;
  let control: EmulatorControl;
  let client: Client;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    backup = await writeRealDataBackup({
      source: source(),
      s3,
      bucket: uniqueName('real-cluster-interrupt'),
      targets: [{ layout: 'xbstream', prefix: 'b/' }],
    });
    // The cluster migrates for 6 s (the kill lands inside it) and each instance creates for 20 s (the
    // cancellation lands while the cluster is served and the writer is still being created).
    emulator = await startRealServerEmulator({ clusterMigratingMs: 6_000, instanceCreatingMs: 20_000 });
    control = new EmulatorControl(emulator.endpoint);
    client = await connectTestClient();
  }, 300_000);

  afterAll(async () => {
    for (const w of workers) await w.kill();
    await client?.connection.close();
    await emulator?.close();
    s3.destroy();
  }, 120_000);

  function specFor(onFailure: 'retain' | 'delete'): MigrationInput {
    const spec = sampleSpec({
      bucket: backup.bucket,
      prefix: 'b',
      sourceEngineVersion: backup.serverVersion.replace(/-.*$/, ''),
      options: { onFailure },
    });
    spec.restore.EngineVersion = '8.0.mysql_aurora.3.04.0';
    return spec;
  }

  async function start(spec: MigrationInput, taskQueue: string) {
    return client.workflow.start<(i: MigrationInput) => Promise<MigrationResult>>(WORKFLOW_TYPE, {
      taskQueue,
      workflowId: migrationWorkflowId(spec.region, spec.restore.DBClusterIdentifier),
      args: [spec],
    });
  }

  it('survives a SIGKILLed worker mid-restore with exactly one cluster, serving the source data', async () => {
    const config = loadConfig({ AURORA_MIGRATE_TASK_QUEUE: uniqueName('tq-kill') });
    const first = spawnWorkerProcess(config, emulator.endpoint);
    workers.push(first);
    await first.started;
    const spec = specFor('retain');
    const clusterId = spec.restore.DBClusterIdentifier.toLowerCase();
    const handle = await start(spec, config.taskQueue);
    // Kill once RDS has the restore: the worker dies while the cluster migrates and its mysqld comes up.
    await untilCalled(control, 'RestoreDBClusterFromS3', clusterId, 120_000);
    await first.kill('SIGKILL');
    const rdsAtKill = testRdsClient(emulator.endpoint);
    try {
      const atKill = await rdsAtKill.send(new DescribeDBClustersCommand({ DBClusterIdentifier: clusterId }));
      expect(['creating', 'migrating']).toContain(atKill.DBClusters?.[0]?.Status);
    } finally {
      rdsAtKill.destroy();
    }
    const second = spawnWorkerProcess(config, emulator.endpoint);
    workers.push(second);
    await second.started;
    const result = await handle.result();

    const rds = testRdsClient(emulator.endpoint);
    try {
      const listed = await rds.send(new DescribeDBClustersCommand({}));
      expect((listed.DBClusters ?? []).filter((c) => c.DBClusterIdentifier === clusterId)).toHaveLength(1);
    } finally {
      rds.destroy();
    }
    const servers = (await control.clusterServers()).servers.filter((s) => s.clusterId === clusterId);
    expect(servers).toHaveLength(1);
    const { username, password } = await masterCredentials(result.cluster.MasterUserSecretArn!);
    const target = { host: result.cluster.Endpoint, port: result.cluster.Port, user: username, password };
    const proof = await compareTables({ socketPath: source().socket, user: 'root' }, target, TABLES);
    expect(proof.equal).toBe(true);
    expect(proof.tables.map((t) => t.target)).toEqual(backup.tables);
    expect(first.output()).not.toContain(password);
    expect(second.output()).not.toContain(password);
  }, 300_000);

  it("stops the cluster's mysqld and removes its volume when a migration with onFailure delete is cancelled", async () => {
    const config = loadConfig({ AURORA_MIGRATE_TASK_QUEUE: uniqueName('tq-cancel') });
    const worker = spawnWorkerProcess(config, emulator.endpoint);
    workers.push(worker);
    await worker.started;
    const spec = specFor('delete');
    const clusterId = spec.restore.DBClusterIdentifier.toLowerCase();
    const handle = await start(spec, config.taskQueue);
    const served = await servedServer(control, clusterId);
    expect(processAlive(served.pid)).toBe(true);
    // The cluster is available once its server accepts connections; cancel while the writer is being created.
    await untilCalled(control, 'CreateDBInstance', clusterId, 60_000);
    await handle.cancel();
    const failure = await failureOf(handle.result());
    expect(failure.name).toBe('CancelledFailure');
    const description = await handle.describe();
    expect(description.status.name).toBe('CANCELLED');
    expect(processAlive(served.pid)).toBe(false);
    expect(existsSync(served.volumeDir)).toBe(false);
    expect((await control.clusterServers()).servers.filter((s) => s.clusterId === clusterId)).toEqual([]);
  }, 300_000);
});
