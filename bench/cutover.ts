/**
 * Benchmark 7, cutover: the read-only window (the downtime) and the writes lost, over several cutovers under a
 * write load of a few hundred transactions a second, for the hand-run recipe AWS documents and for ours, on the
 * same real servers (a source MySQL 8.0 and an emulated Aurora cluster, a real mysqld, replicating from it).
 */
import { connectCluster, startReplicationPair, type ReplicationPair } from './lib/replication-pair';
import { RECIPE_POLL_MS, resumeAfterRecipe, runAwsRecipe, startReplicationByHand } from './lib/aws-recipe-cutover';
import { untilExecuted } from '../scripts/fixtures/replica-position';
import type { BenchStack } from './lib/bench-stack';
import { runOurCutover } from './lib/our-cutover';
import type { BenchSection } from './lib/section';
import { sleepMs } from './lib/settings';
import { fixed, percentile, table } from './lib/stats';
import {
  commitRate,
  createLoadAccount,
  startWriteLoad,
  verifyLoadArrived,
  type LoadLogin,
} from '../scripts/fixtures/write-load';

/** Target transactions per second of the load. */
const RATE = 300;
/** Load before each cutover, so that replication runs at its steady lag. */
const WARMUP_MS = 3_000;

/** One measured cutover. */
export interface CutoverSample {
  /** Writes stopped → the cluster may take the application's writes. */
  windowMs: number;
  /** Committed on the source (the load saw the commit) but not on the cluster when it was declared the primary. */
  lostWrites: number;
  /** Transactions the load committed on the source in that run. */
  committed: number;
  /** The load's commit rate before the freeze, per second. */
  rate: number;
  /** Load failures other than read-only refusals. */
  failures: number;
  note?: string;
}

/** One strategy's samples, for the table. */
export interface CutoverStrategy {
  name: string;
  samples: CutoverSample[];
  notes: string[];
}

/** Runs the recipe `runs` times on one cluster (replication is resumed and caught up between runs). */
async function measureRecipe(pair: ReplicationPair, login: LoadLogin, runs: number): Promise<CutoverStrategy> {
  const cluster = await pair.restoreCluster('bench-cutover-recipe');
  await startReplicationByHand(cluster, pair.source, pair.backup.binlog);
  const root = await pair.source.rootConnection();
  const target = await connectCluster(cluster);
  const samples: CutoverSample[] = [];
  try {
    await untilExecuted(target, root);
    for (let i = 0; i < runs; i++) {
      const load = await startWriteLoad({ login, ratePerSecond: RATE });
      await sleepMs(WARMUP_MS);
      const run = await runAwsRecipe(cluster, root);
      const record = await load.stop();
      const arrival = await verifyLoadArrived(target, record);
      samples.push({
        windowMs: run.cutAt - run.frozenAt,
        lostWrites: arrival.lostWrites,
        committed: arrival.committedTransactions,
        rate: commitRate(record, record.startedAt, run.frozenAt),
        failures: record.failures.length,
        note: `${run.statusReads} status read(s); at rds_stop_replication ${run.atCut.unexecutedBytes} binlog bytes unexecuted, ${run.atCut.unfetchedBytes} of them unfetched`,
      });
      await resumeAfterRecipe(cluster, root);
    }
  } finally {
    await target.end();
    await root.end();
  }
  return {
    name: `AWS recipe by hand (read_only = ON, SHOW SLAVE STATUS every ${RECIPE_POLL_MS} ms until Seconds_Behind_Master = 0, rds_stop_replication)`,
    samples,
    notes: [],
  };
}

/** Runs benchmark 6 and returns its section. */
export async function runCutover(stack: BenchStack): Promise<BenchSection> {
  const runs = stack.settings.quick ? 2 : 7;
  const t0 = Date.now();
  const pair = await startReplicationPair(stack);
  const strategies: CutoverStrategy[] = [];
  try {
    const root = await pair.source.rootConnection();
    const login = await createLoadAccount(root, pair.source).finally(() => root.end());
    strategies.push(await measureRecipe(pair, login, runs));
    const ours: CutoverSample[] = [];
    for (let i = 0; i < runs; i++) {
      ours.push(await runOurCutover(stack, pair, login, i + 1, { rate: RATE, warmupMs: WARMUP_MS }));
    }
    strategies.push({
      name:
        'aurora-migrate (a real migration with replication, manual cutover by the library cutover(): freeze with ' +
        'super_read_only, await the final position, CHECKSUM TABLE every table, disarm the guard, detach)',
      samples: ours,
      notes: [
        'Ours: each run is a whole migration (restore, instances, replication from the backup coordinates, catch-up) ' +
          'on its own cluster; the window is the CutoverReport readOnlyMs (frozenAt → replication detached), which ' +
          'includes the verification by CHECKSUM TABLE of every source table, a worker process and Temporal round trips.',
      ],
    });
  } finally {
    await pair.stop();
  }
  return report(strategies, runs, (Date.now() - t0) / 1000);
}

function report(strategies: CutoverStrategy[], runs: number, seconds: number): BenchSection {
  const rows = strategies.map((s) => {
    const windows = s.samples.map((x) => x.windowMs);
    const lost = s.samples.map((x) => x.lostWrites);
    return [
      s.name,
      String(s.samples.length),
      `${fixed(percentile(windows, 50), 0)} ms`,
      `${fixed(percentile(windows, 95), 0)} ms`,
      `${fixed(Math.max(...windows), 0)} ms`,
      String(lost.reduce((a, b) => a + b, 0)),
      `${lost.filter((n) => n > 0).length}/${s.samples.length}`,
      fixed(
        percentile(
          s.samples.map((x) => x.rate),
          50,
        ),
        0,
      ),
      String(s.samples.reduce((a, x) => a + x.failures, 0)),
    ];
  });
  const perRun = strategies.flatMap((s, si) =>
    s.samples.map((x, i) => [
      `${si + 1}.${i + 1}`,
      `${x.windowMs} ms`,
      String(x.lostWrites),
      String(x.committed),
      fixed(x.rate, 0),
      x.note ?? '',
    ]),
  );
  const markdown = [
    `${runs} cutovers per strategy under a write load of ${RATE} transactions/s target (6 connections, one ` +
      'autocommit INSERT or UPDATE each, `scripts/fixtures/write-load.ts`), on a real MySQL 8.0.15 source and an ' +
      'emulated Aurora 3.04 cluster (a real mysqld 8.0.15 restored from the real-data backup) replicating from it ' +
      `over 127.0.0.1; ${fixed(seconds, 0)} s real. The machine was shared with other engineers' test suites while ` +
      'this ran.',
    '',
    'Read-only window: writes stopped on the source → the cluster is declared the primary (the recipe: ' +
      '`rds_stop_replication` returned). Writes lost: transactions the load saw committed on the source that the ' +
      'cluster did not hold at that moment (`verifyLoadArrived`, row by row and version by version).',
    '',
    table(
      [
        'Strategy',
        'Runs',
        'Window p50',
        'Window p95',
        'Window max',
        'Writes lost (all runs)',
        'Runs losing writes',
        'Load tx/s',
        'Load failures',
      ],
      rows,
    ),
    '',
    'Per run:',
    '',
    table(['Run', 'Window', 'Writes lost', 'Committed', 'Load tx/s', 'Notes'], perRun),
    ...strategies.flatMap((s) => s.notes.map((n) => `- ${n}`)),
  ].join('\n');
  const headlines = strategies.map((s) => {
    const w = s.samples.map((x) => x.windowMs);
    return `${s.name.split(' (')[0]}: window p50 ${fixed(percentile(w, 50), 0)} ms, lost ${s.samples.reduce((a, x) => a + x.lostWrites, 0)} writes`;
  });
  return { title: '## 7. Cutover', markdown, headlines };
}
