/**
 * The replication lag gauge on a worker's Prometheus endpoint while a real migration catches up: a worker
 * process with metrics on, a real 8.0 source replicating into an emulated cluster that is a real mysqld.
 */
import { loadConfig } from '../../config/app-config';
import { ActivityMetrics } from '../../activities/metrics';
import { freePort } from '../../scripts/stack/ports';
import { WORKFLOW_TYPE } from '../../workflows/ids';
import { connectTestClient } from '../helpers/migration';
import { parseExposition, total } from '../helpers/prometheus';
import { useSourceMysql } from '../helpers/source-mysql';
import { uniqueName } from '../helpers/stack';
import { spawnWorkerProcess } from '../helpers/worker-process';
import { replicationSpec, useCatchUpRig, waitForProgress } from '../workflows/catch-up-helpers';

const source = useSourceMysql('8.0');
const rig = useCatchUpRig(source);

test("a catching-up migration sets the cluster's replication lag gauge", async () => {
  const port = await freePort();
  const config = loadConfig({ AURORA_MIGRATE_TASK_QUEUE: uniqueName('lag-tq') });
  const worker = spawnWorkerProcess(config, rig().emulator.endpoint, { AURORA_MIGRATE_METRICS_PORT: String(port) });
  const client = await connectTestClient();
  try {
    await worker.started;
    const spec = replicationSpec(rig(), source(), {});
    const clusterId = spec.restore.DBClusterIdentifier.toLowerCase();
    const handle = await client.workflow.start(WORKFLOW_TYPE, {
      taskQueue: config.taskQueue,
      workflowId: `aurora-migrate:us-east-1:${clusterId}`,
      args: [spec],
    });
    const before = parseExposition(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text());
    expect(before.some((s) => s.name === ActivityMetrics.replicationLag)).toBe(false);

    await waitForProgress(handle, (p) => p.step === 'awaiting-cutover' && p.replication?.lag !== undefined);
    let samples = parseExposition(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text());
    for (let i = 0; i < 50 && !samples.some((s) => s.name === ActivityMetrics.replicationLag); i += 1) {
      await new Promise((r) => setTimeout(r, 200));
      samples = parseExposition(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text());
    }
    const gauge = samples.filter((s) => s.name === ActivityMetrics.replicationLag);
    expect(gauge.map((s) => s.labels.cluster)).toEqual([clusterId]);
    // Caught up on an idle source: a lag of a few seconds at most, never negative.
    expect(total(samples, ActivityMetrics.replicationLag, { cluster: clusterId })).toBeGreaterThanOrEqual(0);
    expect(total(samples, ActivityMetrics.replicationLag, { cluster: clusterId })).toBeLessThan(30);
    await handle.cancel();
    await handle.result().catch(() => undefined);
  } finally {
    await worker.kill('SIGTERM');
    await client.connection.close();
  }
}, 300_000);
