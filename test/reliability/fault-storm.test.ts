/**
 * Fault storm: every RDS call (emulator rules matching all actions) and every S3 call (a fault proxy in front of
 * the S3 server) risks 20% throttling, 5% internal errors and 2% dropped connections. Migrations must still
 * complete, without duplicates, and the extra calls the faults caused are counted.
 */
import { EmulatorControl } from '../../emulator/control-client';
import type { Client } from '@temporalio/client';
import { startEmulator, type RunningEmulator } from '../../emulator/server';
import { migrationWorkflowId, WORKFLOW_TYPE } from '../../workflows/ids';
import type { MigrationInput, MigrationResult } from '../../workflows/types';
import { addEmulatorRule, emulatorInventory, sampleSpec, uploadDirectoryBackup } from '../helpers/migration';
import { testStack, uniqueName } from '../helpers/stack';
import { startFaultProxy, type FaultProxy } from './helpers/fault-proxy';
import { collectCallLog, createdAndRefused, type LoggedCall } from './helpers/rds-calls';
import { byProfile, reportFigures, runSeed, withDeadline } from './helpers/report';
import { seededRandom } from '../../scripts/fixtures/seeded-random';
import { connectTestClient, spawnWorker, type ReliabilityWorker } from './helpers/workers';

const MIGRATIONS = byProfile(4, 20);
const TEST_BUDGET_MS = byProfile(150_000, 600_000);
/** The marginal fault mix of the issue: each call is throttled, fails or is dropped with these chances. */
const MIX = { throttle: 0.2, internal: 0.05, drop: 0.02 };

describe('a storm of throttling, internal errors and dropped connections on every RDS and S3 call', () => {
  let emulator: RunningEmulator;
  let s3Proxy: FaultProxy;
  let client: Client;
  let worker: ReliabilityWorker | undefined;

  beforeAll(async () => {
    emulator = await startEmulator({
      s3: testStack().s3,
      timings: {
        clusterCreatingMs: 1500,
        clusterMigratingMs: 2500,
        instanceCreatingMs: 1500,
        instanceConfiguringMs: 500,
        instanceBackingUpMs: 500,
        deletingMs: 500,
      },
    });
    client = await connectTestClient();
  });

  afterAll(async () => {
    await worker?.kill('SIGKILL');
    await client?.connection.close();
    await s3Proxy?.close();
    await emulator?.close();
  });

  test(
    'every migration completes, without duplicates, and the extra calls are counted',
    async () => {
      const began = Date.now();
      const seed = runSeed();
      // The backup is uploaded straight to S3: only the worker's reads go through the storm.
      const backup = await uploadDirectoryBackup({ version: '5.7' });
      s3Proxy = await startFaultProxy({
        target: testStack().s3.endpoint,
        random: seededRandom(seed),
        faults: { slowDown: MIX.throttle, internal: MIX.internal, drop: MIX.drop },
      });
      // The emulator tries its rules in order, so each rule's probability is conditional on the earlier ones
      // not firing: these give the marginal mix above.
      await addEmulatorRule({ fault: { type: 'throttle', probability: MIX.throttle } }, emulator.endpoint);
      await addEmulatorRule(
        { fault: { type: 'internal', probability: MIX.internal / (1 - MIX.throttle) } },
        emulator.endpoint,
      );
      await addEmulatorRule(
        { fault: { type: 'drop', probability: MIX.drop / (1 - MIX.throttle - MIX.internal) } },
        emulator.endpoint,
      );

      const prefix = uniqueName('storm');
      const taskQueue = uniqueName('tq-storm');
      worker = spawnWorker({ taskQueue, rdsEndpoint: emulator.endpoint, s3Endpoint: s3Proxy.endpoint });
      await worker.started;
      const specs: MigrationInput[] = Array.from({ length: MIGRATIONS }, (_, i) =>
        sampleSpec({ ...backup, clusterId: `${prefix}-${i}`, readers: i % 2, options: { pollInterval: '1s' } }),
      );
      const outcomes = await Promise.allSettled(
        specs.map(async (spec) => {
          const handle = await client.workflow.start<(i: MigrationInput) => Promise<MigrationResult>>(WORKFLOW_TYPE, {
            taskQueue,
            workflowId: migrationWorkflowId(spec.region, spec.restore.DBClusterIdentifier),
            args: [spec],
          });
          return withDeadline(handle.result(), TEST_BUDGET_MS, handle.workflowId);
        }),
      );
      const durationMs = Date.now() - began;
      const calls = await new EmulatorControl(emulator.endpoint).calls();
      const callLog = new Map<string, LoggedCall>();
      await collectCallLog(emulator.endpoint, callLog);
      const inventory = await emulatorInventory(emulator.endpoint);
      const clusters = inventory.clusters.filter((c) => c.id.startsWith(`${prefix}-`));
      const instances = inventory.instances.filter((i) => i.id.startsWith(`${prefix}-`));
      const rdsCalls = Object.values(calls.counts).reduce((a, b) => a + b, 0);
      const rdsFaults = Object.values(calls.faults).reduce((a, b) => a + b, 0);
      const s3Faults = s3Proxy.counters.slowDown + s3Proxy.counters.internal + s3Proxy.counters.drop;
      const failed = outcomes.flatMap((o, i) =>
        o.status === 'rejected' ? [`${specs[i]!.restore.DBClusterIdentifier}: ${String(o.reason)}`] : [],
      );
      reportFigures('fault-storm', {
        seed,
        migrations: MIGRATIONS,
        completed: outcomes.filter((o) => o.status === 'fulfilled').length,
        rds: {
          calls: rdsCalls,
          faultsInjected: calls.faults,
          extraCallsFromFaults: rdsFaults,
          faultRate: Number((rdsFaults / Math.max(1, rdsCalls)).toFixed(3)),
          byAction: calls.counts,
        },
        s3: {
          ...s3Proxy.counters,
          extraCallsFromFaults: s3Faults,
          faultRate: Number((s3Faults / Math.max(1, s3Proxy.counters.requests)).toFixed(3)),
        },
        restoreCalls: createdAndRefused(callLog, 'RestoreDBClusterFromS3'),
        createInstanceCalls: createdAndRefused(callLog, 'CreateDBInstance'),
        clusters: clusters.length,
        instances: instances.length,
        durationMs,
      });

      expect(failed).toEqual([]);
      expect(clusters.map((c) => c.id).sort()).toEqual(specs.map((s) => s.restore.DBClusterIdentifier).sort());
      const expectedInstances = specs.flatMap((s) =>
        s.instances.map((i) => `${s.restore.DBClusterIdentifier}/${i.DBInstanceIdentifier}`),
      );
      expect(instances.map((i) => `${i.clusterId}/${i.id}`).sort()).toEqual(expectedInstances.sort());
      expect(createdAndRefused(callLog, 'RestoreDBClusterFromS3').createdPerResource.max).toBe(1);
      expect(createdAndRefused(callLog, 'CreateDBInstance').createdPerResource.max).toBe(1);
      // The storm really blew: faults were injected on both sides.
      expect(rdsFaults).toBeGreaterThan(0);
      expect(s3Faults).toBeGreaterThan(0);
    },
    TEST_BUDGET_MS + 60_000,
  );
});
