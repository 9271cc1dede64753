/**
 * Server restart: a dedicated Temporal dev server with a persistent database is stopped (SIGTERM) and started
 * again on the same port and database while migrations run. The worker process is restarted whenever it gives
 * up; every migration must complete with exactly one cluster.
 */
import { join } from 'node:path';
import { WorkflowFailedError, type Client, type WorkflowHandle } from '@temporalio/client';
import { startEmulator, type RunningEmulator } from '../../emulator/server';
import { freePort } from '../../scripts/stack/ports';
import { startTemporalDevServer, type TemporalDevServer } from '../../scripts/stack/temporal-server';
import { migrationWorkflowId, WORKFLOW_TYPE } from '../../workflows/ids';
import type { MigrationInput, MigrationResult } from '../../workflows/types';
import { emulatorInventory, sampleSpec, uploadDirectoryBackup } from '../helpers/migration';
import { testStack, uniqueName } from '../helpers/stack';
import { byProfile, reportFigures, sleep } from './helpers/report';
import { connectTestClient, spawnWorker, trackPid, type ReliabilityWorker } from './helpers/workers';

const MIGRATIONS = byProfile(4, 12);
const RESTARTS = byProfile(1, 3);
const TEST_BUDGET_MS = byProfile(150_000, 480_000);

describe('a Temporal dev server restarted mid-run', () => {
  let server: TemporalDevServer | undefined;
  let emulator: RunningEmulator;
  let client: Client | undefined;
  let worker: ReliabilityWorker | undefined;
  let port: number;
  let dataDir: string;

  const startServer = async (): Promise<TemporalDevServer> => {
    const started = await startTemporalDevServer({ dataDir, persistent: true, headless: true, port });
    trackPid(started.pid);
    return started;
  };

  beforeAll(async () => {
    port = await freePort();
    dataDir = join(testStack().scratchDir, uniqueName('temporal-restart'));
    server = await startServer();
    emulator = await startEmulator({
      s3: testStack().s3,
      timings: {
        clusterCreatingMs: 3000,
        clusterMigratingMs: 5000,
        instanceCreatingMs: 3000,
        instanceConfiguringMs: 1000,
        instanceBackingUpMs: 1000,
        deletingMs: 500,
      },
    });
  });

  afterAll(async () => {
    await worker?.kill('SIGKILL');
    await client?.connection.close();
    await server?.stop();
    await emulator?.close();
  });

  test(
    'every migration completes once the server is back, with exactly one cluster each',
    async () => {
      const began = Date.now();
      const address = `127.0.0.1:${port}`;
      const prefix = uniqueName('restart');
      const taskQueue = uniqueName('tq-restart');
      const backup = await uploadDirectoryBackup({ version: '5.7' });
      let workerStarts = 0;
      const ensureWorker = async (): Promise<void> => {
        if (worker?.isAlive()) return;
        worker = spawnWorker({ taskQueue, temporalAddress: address, rdsEndpoint: emulator.endpoint });
        workerStarts += 1;
        await worker.started;
      };
      await ensureWorker();
      client = await connectTestClient(address);
      const specs: MigrationInput[] = Array.from({ length: MIGRATIONS }, (_, i) =>
        sampleSpec({ ...backup, clusterId: `${prefix}-${i}`, readers: i % 2, options: { pollInterval: '1s' } }),
      );
      const handles: WorkflowHandle[] = [];
      for (const spec of specs) {
        handles.push(
          await client.workflow.start<(i: MigrationInput) => Promise<MigrationResult>>(WORKFLOW_TYPE, {
            taskQueue,
            workflowId: migrationWorkflowId(spec.region, spec.restore.DBClusterIdentifier),
            args: [spec],
          }),
        );
      }

      // Restart the server while the migrations restore and wait; the downtime grows with each restart.
      const downtimes: number[] = [];
      const runningAtStop: number[] = [];
      for (let r = 0; r < RESTARTS; r++) {
        await sleep(2500 + r * 2000);
        const statuses = await Promise.all(handles.map(async (h) => (await h.describe()).status.name));
        runningAtStop.push(statuses.filter((s) => s === 'RUNNING').length);
        const stopping = Date.now();
        await server!.stop();
        await sleep(1000 + r * 1500);
        server = await startServer();
        downtimes.push(Date.now() - stopping);
        await ensureWorker();
      }

      // Wait for every result; a client call that fails while the connection recovers is simply repeated.
      const results: (MigrationResult | string)[] = [];
      let clientRetries = 0;
      for (const handle of handles) {
        for (let attempt = 0; ; attempt++) {
          if (Date.now() - began > TEST_BUDGET_MS) throw new Error(`${handle.workflowId} did not finish in time`);
          await ensureWorker();
          try {
            results.push((await handle.result()) as MigrationResult);
            break;
          } catch (err) {
            if (err instanceof WorkflowFailedError) {
              results.push(`${handle.workflowId}: ${String(err.cause)}`);
              break;
            }
            clientRetries += 1;
            await sleep(500);
          }
        }
      }
      const durationMs = Date.now() - began;
      const inventory = await emulatorInventory(emulator.endpoint);
      const clusters = inventory.clusters.filter((c) => c.id.startsWith(`${prefix}-`));
      const instances = inventory.instances.filter((i) => i.id.startsWith(`${prefix}-`));
      const failures = results.filter((r): r is string => typeof r === 'string');
      reportFigures('server-restart', {
        migrations: MIGRATIONS,
        completed: results.length - failures.length,
        serverRestarts: RESTARTS,
        downtimesMs: downtimes,
        migrationsRunningAtEachStop: runningAtStop,
        workerStarts,
        clientRetries,
        clusters: clusters.length,
        instances: instances.length,
        durationMs,
      });

      expect(failures).toEqual([]);
      expect(runningAtStop[0]).toBe(MIGRATIONS);
      expect(clusters.map((c) => c.id).sort()).toEqual(specs.map((s) => s.restore.DBClusterIdentifier).sort());
      expect(instances).toHaveLength(specs.reduce((n, s) => n + s.instances.length, 0));
      expect([...clusters, ...instances].every((r) => r.status === 'available')).toBe(true);
    },
    TEST_BUDGET_MS + 60_000,
  );
});
