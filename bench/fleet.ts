/**
 * Benchmark 4, fleet: N concurrent migrations (1,000 in the full run) on one worker process
 * (`node lib/worker/main.js`, default worker options) with the dev server on the same machine. Reports whether
 * all completed, the worker's peak RSS (VmHWM) and CPU from /proc, and failed or timed-out workflow tasks
 * counted in every history. Runs at time scale 1/6 (our 30 s poll = 5 s real) with short restores: at the main
 * scale a thousand migrations polling every 100 ms would measure the dev server, not the worker.
 */
import { optionalTsToMs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import type { BenchStack } from './lib/bench-stack';
import { benchSpec } from './lib/migration-spec';
import { readProcUsage } from './lib/proc';
import type { BenchSection } from './lib/section';
import { parseTimeScale, realMs, sleepMs } from './lib/settings';
import { fixed, formatSim, mapLimit, table } from './lib/stats';
import { startWorkerProcess } from './lib/worker-process';
import { startMigration } from '../client/temporal';
import { configFor } from './lib/bench-stack';

const EventType = temporal.api.enums.v1.EventType;
const TimeoutType = temporal.api.enums.v1.TimeoutType;

/** `SCHEDULE_TO_START` for TIMEOUT_TYPE_SCHEDULE_TO_START. */
function timeoutTypeName(type: number | null | undefined): string {
  return (TimeoutType[Number(type ?? 0)] ?? `type ${type}`).replace(/^TIMEOUT_TYPE_/, '');
}

/** Counts per 30 s window since the first start, e.g. `0–30 s: 12, 30–60 s: 0, …` (empty windows at the end dropped). */
function timeoutTimeline(seconds: number[]): string {
  const windows: number[] = [];
  for (const at of seconds) {
    const i = Math.max(0, Math.floor(at / 30));
    windows[i] = (windows[i] ?? 0) + 1;
  }
  const shown = Array.from(windows, (n, i) => `${i * 30}–${i * 30 + 30} s: ${n ?? 0}`);
  return shown.join(', ');
}

/** Runs benchmark 4 and returns its section. */
export async function runFleet(stack: BenchStack): Promise<BenchSection> {
  const { quick } = stack.settings;
  const n = Number(process.env.BENCH_FLEET_SIZE) || (quick ? 30 : 1000);
  const scale = parseTimeScale('1/6');
  const clusterSeconds = quick ? 120 : 600;
  await stack.emulator.reset();
  await stack.emulator.setTimings({
    clusterCreatingMs: realMs(scale, clusterSeconds * 0.2),
    clusterMigratingMs: realMs(scale, clusterSeconds * 0.8),
    instanceCreatingMs: realMs(scale, 180),
    instanceConfiguringMs: realMs(scale, 30),
    instanceBackingUpMs: realMs(scale, 30),
  });
  const taskQueue = 'bench-fleet';
  const query = `TaskQueue = '${taskQueue}'`;
  const worker = await startWorkerProcess(stack, taskQueue, 'worker-fleet');
  const cpuStart = worker.usage()?.cpuSeconds ?? 0;
  let peakWindowCpu = 0;
  let lastCpu = cpuStart;
  let lastAt = Date.now();
  const sampler = setInterval(() => {
    const u = worker.usage();
    if (!u) return;
    const now = Date.now();
    peakWindowCpu = Math.max(peakWindowCpu, ((u.cpuSeconds - lastCpu) / ((now - lastAt) / 1000)) * 100);
    lastCpu = u.cpuSeconds;
    lastAt = now;
  }, 5000);
  const t0 = Date.now();
  const deadline = t0 + (quick ? 5 : 10) * 60_000;
  let startSeconds = 0;
  let ids: string[] = [];
  let running = n;
  let workerUsage;
  try {
    ids = await mapLimit(
      Array.from({ length: n }, (_, i) => `fl-${i}`),
      16,
      async (clusterId) => {
        const spec = benchSpec(clusterId, stack.backup, scale, { pollSeconds: 30, maxPollSeconds: 30 });
        return (await startMigration(stack.client, configFor(stack, taskQueue), spec)).workflowId;
      },
    );
    startSeconds = (Date.now() - t0) / 1000;
    while (Date.now() < deadline) {
      await sleepMs(3000);
      running = (await stack.client.workflow.count(`${query} AND ExecutionStatus = 'Running'`)).count;
      if (running === 0) break;
    }
  } finally {
    clearInterval(sampler);
    workerUsage = await worker.stop();
  }
  const wallSeconds = (Date.now() - t0) / 1000;
  const temporalUsage = readProcUsage(stack.stack.temporal.pid);
  const completed = (await stack.client.workflow.count(`${query} AND ExecutionStatus = 'Completed'`)).count;
  const failed = (await stack.client.workflow.count(`${query} AND ExecutionStatus = 'Failed'`)).count;
  const counts = (await stack.emulator.calls()).counts;
  const histories = await mapLimit(ids, 8, async (id) => {
    const events = (await stack.client.workflow.getHandle(id).fetchHistory()).events ?? [];
    const type = (t: number): number => events.filter((e) => Number(e.eventType) === t).length;
    const timedOut: number = EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT;
    const timeouts = events.filter((e) => Number(e.eventType) === timedOut);
    const timeoutKinds = timeouts.map((e) => timeoutTypeName(e.workflowTaskTimedOutEventAttributes?.timeoutType));
    const timeoutSeconds = timeouts.map((e) => (optionalTsToMs(e.eventTime) ?? t0) / 1000 - t0 / 1000);
    return {
      events: events.length,
      failed: type(EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED),
      timeoutKinds,
      timeoutSeconds,
    };
  });
  const taskFailures = histories.reduce((s, h) => s + h.failed, 0);
  const timeoutsByKind = new Map<string, number>();
  for (const kind of histories.flatMap((h) => h.timeoutKinds)) {
    timeoutsByKind.set(kind, (timeoutsByKind.get(kind) ?? 0) + 1);
  }
  const taskTimeouts = [...timeoutsByKind.values()].reduce((s, n) => s + n, 0);
  const byKind = [...timeoutsByKind].map(([kind, count]) => `${count} ${kind}`).join(', ');
  const timeline = timeoutTimeline(histories.flatMap((h) => h.timeoutSeconds));
  const meanEvents = histories.reduce((s, h) => s + h.events, 0) / Math.max(1, histories.length);
  await Promise.all(
    ids.map((id) =>
      stack.client.workflow
        .getHandle(id)
        .terminate('benchmark over')
        .catch(() => undefined),
    ),
  );
  const cpuSeconds = (workerUsage?.cpuSeconds ?? 0) - cpuStart;
  const allDone = completed === n;
  const rows: string[][] = [
    ['Migrations started', String(n)],
    [
      'Completed',
      `${completed}${allDone ? ' (all)' : ` — **not all: ${failed} failed, ${running} still running at the deadline**`}`,
    ],
    ['Time to start all (client library, 16 in flight)', `${startSeconds.toFixed(0)} s real`],
    ['Wall clock, first start → last completion', `${wallSeconds.toFixed(0)} s real`],
    ['Worker peak RSS (VmHWM)', `${fixed(workerUsage?.peakRssMiB ?? NaN, 0)} MiB`],
    [
      'Worker CPU time',
      `${cpuSeconds.toFixed(0)} s (mean ${fixed((cpuSeconds / wallSeconds) * 100, 0)} % of one core, peak 5 s window ${fixed(peakWindowCpu, 0)} %)`,
    ],
    ['Temporal dev server peak RSS (VmHWM)', `${fixed(temporalUsage?.peakRssMiB ?? NaN, 0)} MiB`],
    ['WorkflowTaskFailed events (all histories)', String(taskFailures)],
    ['WorkflowTaskTimedOut events (all histories)', taskTimeouts > 0 ? `${taskTimeouts} (${byKind})` : '0'],
    ['Mean history events per migration', fixed(meanEvents, 1)],
    ['DescribeDBClusters calls per migration', fixed((counts.DescribeDBClusters ?? 0) / n, 1)],
    ['DescribeDBInstances calls per migration', fixed((counts.DescribeDBInstances ?? 0) / n, 1)],
  ];
  const markdown = [
    `Time scale **${scale.label}** for this benchmark (pollInterval 30 s = ${realMs(scale, 30) / 1000} s real); ` +
      `restores of ${formatSim(clusterSeconds)} and one writer of 4 min (simulated) each; one worker process with ` +
      'default options; every migration validates the shared small backup (quick).',
    '',
    table(['Fleet', 'Value'], rows),
    '',
    'No peer row: a waiter (SDK, CLI) or Terraform holds a process (or a goroutine in one apply) per restore, ' +
      'so there is no single-process fleet figure to set beside ours.',
    taskTimeouts > 0
      ? `\n**${taskTimeouts} workflow tasks timed out** (${byKind}); the server retried each. SCHEDULE_TO_START ` +
        'is a sticky-queue task the worker did not pick up in time (it then goes to the normal queue and the history ' +
        'is replayed); START_TO_CLOSE is a task the worker took but did not complete in time. ' +
        `When they happened (seconds since the first start; all starts were sent by ${startSeconds.toFixed(0)} s): ${timeline}.`
      : '',
    allDone
      ? ''
      : `\n**Not every migration completed within ${quick ? 5 : 10} min real: this is the fleet size we could not carry on this machine.**`,
  ].join('\n');
  return {
    title: '## 4. Fleet',
    markdown,
    headlines: [
      `fleet ${completed}/${n} completed in ${wallSeconds.toFixed(0)} s; worker peak RSS ${fixed(workerUsage?.peakRssMiB ?? NaN, 0)} MiB, CPU ${cpuSeconds.toFixed(0)} s; WorkflowTaskFailed ${taskFailures}, TimedOut ${taskTimeouts}`,
    ],
  };
}
