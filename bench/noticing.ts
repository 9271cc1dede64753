/**
 * Benchmark 1, noticing availability: one seeded set of restores (20 min to 24 h simulated, log-uniform) watched
 * by the SDK waiter, the CLI waiter, Terraform's cadence and our workflow with early-wake events off and on, all
 * at the same time. Detection latency runs from the status flip to the strategy's next step (CreateDBInstance
 * reaching the emulator); calls are the emulator's DescribeDBClusters log entries for each cluster. A second,
 * shorter set runs at 1/30, where our 30 s poll interval is 1 s real (the dev server does not retry activities
 * faster than about once a second, so at 1/300 our cadence is not what we configure).
 */
import type { BenchStack } from './lib/bench-stack';
import { CallCollector } from './lib/call-collector';
import { startHttpService } from './lib/http-service';
import { renderNoticing } from './lib/noticing-report';
import type { Measured, NoticingRun } from './lib/noticing-types';
import { flipTimes, launchRestoreSet, OUR_MODES, type WatchedRestore } from './lib/restore-set';
import type { BenchSection } from './lib/section';
import { parseTimeScale, realMs, simSeconds, type TimeScale } from './lib/settings';
import { seededRandom } from '../scripts/fixtures/seeded-random';
import { startWorkerProcess } from './lib/worker-process';
import { cliWaiter } from './strategies/cli-waiter';
import { EarlyWakeWatcher } from './strategies/early-wake';
import { historyEventCount } from './strategies/ours';
import { sdkWaiter } from './strategies/sdk-waiter';
import { terraformWaiter } from './strategies/terraform';
import type { WatchOutcome } from './strategies/types';

/** Restore durations in simulated seconds: the two ends fixed, the rest log-uniform from a fixed seed. */
export function restoreDurations(count: number, min: number, max: number, seed = 6): number[] {
  const random = seededRandom(seed);
  const inner = Array.from({ length: Math.max(0, count - 2) }, () => min * (max / min) ** random());
  return [min, ...inner.sort((a, b) => a - b), max].map((s) => Math.round(s));
}

/** Runs benchmark 1 (the main set, then the 1/30 fidelity set) and returns its section. */
export async function runNoticing(stack: BenchStack): Promise<BenchSection> {
  const { scale, quick } = stack.settings;
  const main = await noticeOnce(
    stack,
    scale,
    quick ? restoreDurations(5, 1200, 7200) : restoreDurations(12, 1200, 86_400),
    'n',
  );
  const fine = parseTimeScale('1/30');
  const fidelity = await noticeOnce(stack, fine, restoreDurations(quick ? 3 : 5, 1200, 3600, 7), 'm');
  const a = renderNoticing(main);
  const b = renderNoticing(fidelity);
  const markdown = [
    a.markdown,
    '',
    `### 1b. The same comparison at time scale ${fine.label} (shorter restores)`,
    '',
    `At ${scale.label} our 30 s poll interval is ${realMs(scale, 30).toFixed(0)} ms real, but the Temporal dev ` +
      'server did not run activity retries more often than about once a second (see the median gap between our ' +
      `polls above), so our cadence above is slower than configured. At ${fine.label} it is 1 s real and honoured; ` +
      'the restores are shorter to keep the run bounded.',
    '',
    b.markdown,
  ].join('\n');
  return {
    title: '## 1. Noticing availability',
    markdown,
    headlines: [...a.headlines, ...b.headlines.slice(0, 2).map((h) => `[${fine.label}] ${h}`)],
  };
}

async function noticeOnce(
  stack: BenchStack,
  scale: TimeScale,
  durations: number[],
  prefix: string,
): Promise<NoticingRun> {
  await stack.emulator.reset();
  await stack.emulator.setTimings({
    instanceCreatingMs: realMs(scale, 300),
    instanceConfiguringMs: realMs(scale, 60),
    instanceBackingUpMs: realMs(scale, 120),
  });
  const calls = new CallCollector(stack.emulator);
  calls.start(500);
  const taskQueue = `bench-noticing-${prefix}`;
  const worker = await startWorkerProcess(stack, taskQueue, `worker-noticing-${prefix}`);
  const http = await startHttpService(stack, taskQueue);
  const wakeIntervalMs = Math.max(10, realMs(scale, 5));
  const watcher = new EarlyWakeWatcher(stack.emulator, http, (id) => id.startsWith(`${prefix}-on-`), wakeIntervalMs);
  watcher.start();
  const started = Date.now();
  try {
    const watched = await launchRestoreSet(stack, {
      idPrefix: prefix,
      taskQueue,
      scale,
      durations,
      peers: [sdkWaiter, cliWaiter, terraformWaiter],
      peerMaxWait: () => 48 * 3600,
      peersCreateWriter: true,
    });
    const outcomes = await Promise.all(watched.map((w) => w.outcome));
    await calls.stop();
    const flips = await flipTimes(stack, watched);
    const measured = watched.map((w, i) => measure(w, outcomes[i]!, flips.get(w.clusterId), calls, scale));
    const history: Record<string, number> = {};
    for (const mode of OUR_MODES) {
      for (const index of [0, durations.length - 1]) {
        const w = watched.find((x) => x.strategy === mode && x.index === index);
        if (w?.workflowId) history[`${mode}:${index}`] = await historyEventCount(stack, w.workflowId);
      }
    }
    return {
      measured,
      history,
      durations,
      scaleLabel: scale.label,
      scaleFactor: scale.factor,
      wakeSeconds: simSeconds(scale, wakeIntervalMs),
      realSeconds: (Date.now() - started) / 1000,
      lost: calls.lost,
      wakeDelivered: watcher.delivered,
    };
  } finally {
    await watcher.stop();
    await http.close();
    await worker.stop();
  }
}

function measure(
  w: WatchedRestore,
  outcome: WatchOutcome,
  flip: number | undefined,
  calls: CallCollector,
  scale: TimeScale,
): Measured {
  const created = flip === undefined ? undefined : flip - w.creatingMs - w.migratingMs;
  const next = calls.forCluster(w.clusterId, 'CreateDBInstance')[0];
  const nextAt = next ? Date.parse(next.at) : undefined;
  const latency = outcome.result === 'available' && nextAt && flip ? simSeconds(scale, nextAt - flip) : undefined;
  const end = nextAt ?? outcome.endedAt;
  const describeCalls = calls.forCluster(w.clusterId, 'DescribeDBClusters').filter((c) => Date.parse(c.at) <= end);
  const watchedHours = created === undefined ? NaN : simSeconds(scale, end - created) / 3600;
  const times = describeCalls.map((c) => Date.parse(c.at));
  const gaps = times.slice(1).map((t, i) => simSeconds(scale, t - (times[i] ?? t)));
  return { w, outcome, latency, describeCalls: describeCalls.length, watchedHours, gaps };
}
