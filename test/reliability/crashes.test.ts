/**
 * Crashes: migrations on worker processes that are SIGKILLed at random moments, some of them while the RDS
 * emulator holds a RestoreDBClusterFromS3 or CreateDBInstance request (latency faults keep it for seconds).
 * The emulator's inventory is the ground truth that each migration made exactly one cluster and its instances.
 */
import type { Client, WorkflowHandle } from '@temporalio/client';
import { startEmulator, type RunningEmulator } from '../../emulator/server';
import { migrationWorkflowId, WORKFLOW_TYPE } from '../../workflows/ids';
import type { MigrationInput, MigrationResult } from '../../workflows/types';
import { addEmulatorRule, emulatorInventory, sampleSpec, uploadDirectoryBackup } from '../helpers/migration';
import { testStack, uniqueName } from '../helpers/stack';
import { rdsCallLabel, startFaultProxy, type FaultProxy } from './helpers/fault-proxy';
import { byProfile, reportFigures, runSeed, sleep } from './helpers/report';
import { seededRandom } from '../../scripts/fixtures/seeded-random';
import { collectCallLog, createdAndRefused, type LoggedCall } from './helpers/rds-calls';
import { connectTestClient, spawnWorker, type ReliabilityWorker } from './helpers/workers';

const MIGRATIONS = byProfile(6, 30);
const MIN_KILLS = byProfile(2, 3);
/** Kills in all, spread over the phases of the staggered migrations. */
const MIN_TOTAL_KILLS = byProfile(3, 12);
/** Time between two migration starts, in ms. */
const STAGGER_MS = byProfile(1000, 1500);
/** How long the emulator holds a held restore or instance create, in ms. */
const HOLD_MS = 3000;
const TEST_BUDGET_MS = byProfile(150_000, 900_000);

describe('migrations on workers that are SIGKILLed at random moments', () => {
  let emulator: RunningEmulator;
  let proxy: FaultProxy;
  let client: Client;
  const workers: ReliabilityWorker[] = [];

  beforeAll(async () => {
    emulator = await startEmulator({
      s3: testStack().s3,
      timings: {
        clusterCreatingMs: 2000,
        clusterMigratingMs: 3000,
        instanceCreatingMs: 2000,
        instanceConfiguringMs: 500,
        instanceBackingUpMs: 500,
        deletingMs: 500,
      },
    });
    // The proxy adds no faults here: it only tells which RDS requests the emulator is holding at each kill.
    proxy = await startFaultProxy({ target: emulator.endpoint, label: rdsCallLabel });
    client = await connectTestClient();
  });

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.kill('SIGKILL')));
    await client?.connection.close();
    await proxy?.close();
    await emulator?.close();
  });

  test(
    'every migration completes with exactly one cluster and its instances, and nothing is orphaned',
    async () => {
      const began = Date.now();
      const seed = runSeed();
      const random = seededRandom(seed);
      const prefix = uniqueName('crash');
      const taskQueue = uniqueName('tq-crash');
      const backup = await uploadDirectoryBackup({ version: '5.7' });
      const specs: MigrationInput[] = Array.from({ length: MIGRATIONS }, (_, i) =>
        sampleSpec({ ...backup, clusterId: `${prefix}-${i}`, readers: i % 3, options: { pollInterval: '2s' } }),
      );
      const hold = { type: 'latency', latencyMs: HOLD_MS, probability: 0.7 };
      await addEmulatorRule(
        { match: { action: 'RestoreDBClusterFromS3', clusterId: `${prefix}-*` }, fault: hold },
        emulator.endpoint,
      );
      await addEmulatorRule(
        { match: { action: 'CreateDBInstance', instanceId: `${prefix}-*` }, fault: hold },
        emulator.endpoint,
      );

      const startWorker = async (): Promise<ReliabilityWorker> => {
        const worker = spawnWorker({ taskQueue, rdsEndpoint: proxy.endpoint });
        workers.push(worker);
        await worker.started;
        return worker;
      };
      let worker = await startWorker();
      // Migrations start in a staggered stream while the kill loop runs, so that kills land in every phase.
      const results = new Map<number, MigrationResult>();
      const failures: string[] = [];
      const started = new Set<number>();
      const starting = (async () => {
        for (const [i, spec] of specs.entries()) {
          const handle: WorkflowHandle = await client.workflow.start<(i: MigrationInput) => Promise<MigrationResult>>(
            WORKFLOW_TYPE,
            {
              taskQueue,
              workflowId: migrationWorkflowId(spec.region, spec.restore.DBClusterIdentifier),
              args: [spec],
            },
          );
          started.add(i);
          (handle.result() as Promise<MigrationResult>).then(
            (r) => results.set(i, r),
            (err: unknown) => failures.push(`${spec.restore.DBClusterIdentifier}: ${String(err)}`),
          );
          await sleep(STAGGER_MS);
        }
      })();

      // The kill loop: every other kill waits for a held RDS request, the others land after a random delay.
      const kills = new Array<number>(MIGRATIONS).fill(0);
      const heldKills = new Array<number>(MIGRATIONS).fill(0);
      const callLog = new Map<string, LoggedCall>();
      let totalKills = 0;
      let killsWhileHeld = 0;
      let workerStarts = 1;
      const isOpen = (i: number): boolean => started.has(i) && !results.has(i) && failures.length === 0;
      const anyOpen = (): boolean => specs.some((_, i) => isOpen(i));
      const needsKills = (): boolean =>
        failures.length === 0 &&
        (started.size < MIGRATIONS ||
          kills.some((k, i) => isOpen(i) && k < MIN_KILLS) ||
          (totalKills < MIN_TOTAL_KILLS && anyOpen()) ||
          // At least one kill must land while RDS holds a request: keep going (within the deadline) until one has.
          (killsWhileHeld === 0 && anyOpen()));
      const clusterOf = (label: string): number | undefined => {
        const id = label.split(':')[1] ?? '';
        const match = new RegExp(`^${prefix}-(\\d+)(-|$)`).exec(id);
        return match ? Number(match[1]) : undefined;
      };
      const loopDeadline = began + TEST_BUDGET_MS * 0.6;
      for (
        let round = 0;
        round < MIN_TOTAL_KILLS + MIGRATIONS * MIN_KILLS * 4 && needsKills() && Date.now() < loopDeadline;
        round++
      ) {
        if (round % 2 === 1) {
          for (let waited = 0; waited < 8000 && proxy.inFlightLabels().length === 0; waited += 50) await sleep(50);
          await sleep(Math.floor(random() * (HOLD_MS / 2)));
        } else {
          await sleep(500 + Math.floor(random() * 5500));
        }
        const held = new Set(
          proxy
            .inFlightLabels()
            .map(clusterOf)
            .filter((i): i is number => i !== undefined),
        );
        await worker.kill('SIGKILL');
        totalKills += 1;
        if (held.size > 0) killsWhileHeld += 1;
        for (let i = 0; i < MIGRATIONS; i++) {
          if (!isOpen(i)) continue;
          kills[i]! += 1;
          if (held.has(i)) heldKills[i]! += 1;
        }
        await collectCallLog(emulator.endpoint, callLog);
        worker = await startWorker();
        workerStarts += 1;
      }

      await starting;
      for (let waited = 0; results.size + failures.length < MIGRATIONS; waited += 250) {
        if (Date.now() > began + TEST_BUDGET_MS) throw new Error(`only ${results.size} of ${MIGRATIONS} completed`);
        await sleep(250);
      }
      await collectCallLog(emulator.endpoint, callLog);
      const durationMs = Date.now() - began;

      const inventory = await emulatorInventory(emulator.endpoint);
      const ours = (id: string): boolean => id.startsWith(`${prefix}-`);
      const clusters = inventory.clusters.filter((c) => ours(c.id));
      const instances = inventory.instances.filter((i) => ours(i.id));
      const restores = createdAndRefused(callLog, 'RestoreDBClusterFromS3');
      const creates = createdAndRefused(callLog, 'CreateDBInstance');
      const adopted = [...results.values()].filter((r) => r.adoptedCluster).length;
      reportFigures('crashes', {
        seed,
        migrations: MIGRATIONS,
        completed: results.size,
        kills: totalKills,
        killsPerMigrationDistribution: kills,
        killsWhileRdsHeldARequest: killsWhileHeld,
        killsPerMigration: { min: Math.min(...kills), max: Math.max(...kills) },
        migrationsKilledWhileTheirRequestWasHeld: heldKills.filter((k) => k > 0).length,
        workerStarts,
        restoreCalls: restores,
        createInstanceCalls: creates,
        adoptedClusters: adopted,
        clusters: clusters.length,
        instances: instances.length,
        durationMs,
      });

      expect(failures).toEqual([]);
      expect(results.size).toBe(MIGRATIONS);
      expect(Math.min(...kills)).toBeGreaterThanOrEqual(MIN_KILLS);
      expect(killsWhileHeld).toBeGreaterThanOrEqual(1);
      // Exactly one cluster per migration, with exactly its instances, all available; nothing else of ours.
      expect(clusters.map((c) => c.id).sort()).toEqual(specs.map((s) => s.restore.DBClusterIdentifier).sort());
      expect(clusters.every((c) => c.status === 'available')).toBe(true);
      const expectedInstances = specs.flatMap((s) =>
        s.instances.map((i) => `${s.restore.DBClusterIdentifier}/${i.DBInstanceIdentifier}`),
      );
      expect(instances.map((i) => `${i.clusterId}/${i.id}`).sort()).toEqual(expectedInstances.sort());
      expect(instances.every((i) => i.status === 'available')).toBe(true);
      // Each cluster and instance was created by exactly one accepted call; retries were refused and adopted.
      expect(restores.createdPerResource).toEqual({ min: 1, max: 1, resources: MIGRATIONS });
      expect(creates.createdPerResource).toEqual({ min: 1, max: 1, resources: expectedInstances.length });
    },
    TEST_BUDGET_MS + 60_000,
  );
});
