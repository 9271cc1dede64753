/**
 * Benchmark 3, start latency: HTTP `POST /migrations` on our service → RestoreDBClusterFromS3 received by the
 * emulator (its call-log timestamp), quick validation of a 1,000-object backup included. Starts are one at a
 * time (the next POST once the previous restore arrived), unique cluster IDs, one shared backup prefix.
 */
import { buildBackup, tablespaceBytes, uploadBackup } from '../scripts/fixtures';
import type { BenchStack } from './lib/bench-stack';
import { startHttpService } from './lib/http-service';
import { benchSpec, restoreDirectly } from './lib/migration-spec';
import type { BenchSection } from './lib/section';
import { sleepMs } from './lib/settings';
import { fixed, percentile, table } from './lib/stats';
import { startWorkerProcess } from './lib/worker-process';

/** Objects in the backup every start validates. */
const OBJECTS = 1000;

/** Runs benchmark 3 and returns its section. */
export async function runStartLatency(stack: BenchStack): Promise<BenchSection> {
  const starts = stack.settings.quick ? 40 : 200;
  const backup = { bucket: 'bench-backups', prefix: 'thousand/' };
  const base = buildBackup({ version: '8.0' });
  const extraFiles = Array.from({ length: OBJECTS - base.length }, (_, i) => ({
    path: `shop/t${String(i).padStart(4, '0')}.ibd`,
    data: tablespaceBytes(16384, i + 11),
  }));
  const uploaded = await uploadBackup(stack.s3, backup.bucket, backup.prefix, {
    version: '8.0',
    layout: 'directory',
    extraFiles,
  });
  await stack.emulator.reset();
  // Ours and the direct restores each create a cluster per start: more than RDS's default quota of 40, which
  // the pre-flight (and RDS) would refuse.
  await stack.emulator.setQuotas({ DBClusters: 1000, DBInstances: 1000 });
  await stack.emulator.setTimings({
    clusterCreatingMs: 200,
    clusterMigratingMs: 300,
    instanceCreatingMs: 300,
    instanceConfiguringMs: 0,
    instanceBackingUpMs: 0,
  });
  const taskQueue = 'bench-start';
  const worker = await startWorkerProcess(stack, taskQueue, 'worker-start');
  const http = await startHttpService(stack, taskQueue);
  const toRestore: number[] = [];
  const toAccepted: number[] = [];
  const ids: string[] = [];
  const direct: number[] = [];
  try {
    for (let i = 0; i < starts; i += 1) {
      const clusterId = `s-${i}`;
      // A fixed 1 s cadence in real time, as before adaptive polling (this benchmark times the start only).
      const spec = benchSpec(clusterId, backup, { factor: 1, label: '1/1' }, { pollSeconds: 1, maxPollSeconds: 1 });
      const t0 = Date.now();
      const res = await fetch(`${http.url}/migrations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${http.token}` },
        body: JSON.stringify(spec),
      });
      const body = await res.text();
      if (res.status !== 202) throw new Error(`POST /migrations answered ${res.status}: ${body}`);
      toAccepted.push(Date.now() - t0);
      toRestore.push((await restoreReceivedAt(stack, clusterId)) - t0);
      ids.push((JSON.parse(body) as { data: { id: string } }).data.id);
    }
    await settle(stack, ids);
    const rds = stack.rdsClient();
    for (let i = 0; i < starts; i += 1) {
      const clusterId = `p-${i}`;
      const t0 = Date.now();
      await restoreDirectly(rds, clusterId, backup);
      direct.push((await restoreReceivedAt(stack, clusterId)) - t0);
    }
    rds.destroy();
  } finally {
    await http.close();
    await worker.stop();
  }
  const row = (name: string, v: number[]): string[] => [
    name,
    String(v.length),
    fixed(percentile(v, 50), 0),
    fixed(percentile(v, 99), 0),
    fixed(Math.max(...v), 0),
  ];
  const markdown = [
    `${starts} starts through \`POST /migrations\` (bearer token, JSON spec), one at a time, each with a unique ` +
      `cluster ID, all validating the same ${uploaded.objects}-object backup (directory layout, ` +
      `${(uploaded.bytes / 1024 / 1024).toFixed(1)} MiB) in quick mode. Times in **real** milliseconds; the ` +
      "restore time is the emulator's call-log timestamp of RestoreDBClusterFromS3, on the same clock.",
    '',
    table(
      ['Measure', 'Starts', 'p50 (ms)', 'p99 (ms)', 'max (ms)'],
      [
        row('POST /migrations → 202 Accepted', toAccepted),
        row('Ours: POST /migrations → RestoreDBClusterFromS3 received', toRestore),
        row('Peers (SDK, CLI, Terraform): RestoreDBClusterFromS3 sent directly → received', direct),
      ],
    ),
    '',
    'The peers call RestoreDBClusterFromS3 directly: no validation, no durable record of the request, nothing ' +
      'to resume if the caller dies. **We lose** on start latency to every peer: ' +
      `${fixed(percentile(toRestore, 50), 0)} ms vs ${fixed(percentile(direct, 50), 0)} ms at p50, the price of ` +
      'the durable start (workflow start, workflow task, activity dispatch) and the 1,000-object quick validation.',
  ].join('\n');
  return {
    title: '## 3. Start latency',
    markdown,
    headlines: [
      `POST → RestoreDBClusterFromS3 p50 ${fixed(percentile(toRestore, 50), 0)} ms, p99 ${fixed(percentile(toRestore, 99), 0)} ms over ${starts} starts (${uploaded.objects}-object backup); direct restore p50 ${fixed(percentile(direct, 50), 0)} ms`,
    ],
  };
}

/** Epoch ms of the emulator's RestoreDBClusterFromS3 log entry for the cluster (polls until it exists). */
async function restoreReceivedAt(stack: BenchStack, clusterId: string): Promise<number> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const { log } = await stack.emulator.calls('RestoreDBClusterFromS3');
    const entry = log.find((e) => e.clusterId === clusterId && e.status === 200);
    if (entry) return Date.parse(entry.at);
    await sleepMs(5);
  }
  throw new Error(`RestoreDBClusterFromS3 for ${clusterId} did not arrive within 60 s`);
}

/** Waits (bounded) for the started migrations to finish, then terminates any still running. */
async function settle(stack: BenchStack, ids: string[]): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (const id of ids) {
    const handle = stack.client.workflow.getHandle(id);
    const left = deadline - Date.now();
    const done = await Promise.race([
      handle.result().then(
        () => true,
        () => true,
      ),
      sleepMs(Math.max(0, left)).then(() => false),
    ]);
    if (!done) await handle.terminate('benchmark over').catch(() => undefined);
  }
}
