import { loadConfig } from '../../config/app-config';
import { getFleetProgress, startFleet } from '../../client/fleet/temporal';
import type { FleetResult } from '../../workflows/fleet/types';
import { connectTestClient, TEST_CODEC_KEYS, uploadDirectoryBackup } from '../helpers/migration';
import { uniqueName } from '../helpers/stack';
import { spawnWorkerProcess, type WorkerProcess } from '../helpers/worker-process';
import { eventually, executionSpans, fleetManifest, maxOverlap } from './fleet-helpers';

describe('a fleet survives its worker', () => {
  const workers: WorkerProcess[] = [];
  afterAll(async () => {
    for (const w of workers) await w.kill('SIGKILL');
  });

  test('a worker killed with SIGKILL mid-fleet is replaced by a new one that finishes the fleet', async () => {
    const config = loadConfig({
      AURORA_MIGRATE_TASK_QUEUE: uniqueName('tq'),
      AURORA_MIGRATE_CODEC_KEYS: TEST_CODEC_KEYS,
      AWS_REGION: 'us-east-1',
    });
    const first = spawnWorkerProcess(config);
    workers.push(first);
    await first.started;
    const client = await connectTestClient();
    try {
      const backup = await uploadDirectoryBackup({ version: '5.7' });
      const { manifest, workflowIds } = fleetManifest({ backup, count: 4, options: { maxInFlight: 2 } });
      const started = await startFleet(client, config, manifest);
      await eventually(
        () => getFleetProgress(client, started.workflowId),
        (p) => p.counts.running === 2 && (p.steps['waiting-for-cluster'] ?? 0) > 0,
      );
      await first.kill('SIGKILL');

      const second = spawnWorkerProcess(config);
      workers.push(second);
      await second.started;
      const result = (await client.workflow.getHandle(started.workflowId).result()) as FleetResult;

      expect(result.counts).toEqual({ pending: 0, running: 0, completed: 4, failed: 0, cancelled: 0 });
      const spans = await executionSpans(client, workflowIds);
      expect(spans.map((s) => [s?.status, s?.parent])).toEqual(
        workflowIds.map(() => ['COMPLETED', started.workflowId]),
      );
      expect(maxOverlap(spans.map((s) => s!))).toBeLessThanOrEqual(2);
    } finally {
      await client.connection.close();
    }
    // Two worker process starts and a sticky-queue timeout on a shared 2-core machine: more than the default.
  }, 240_000);
});
