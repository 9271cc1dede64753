/**
 * `npm run bench`: starts the real servers once, runs the selected benchmarks one after another and rewrites
 * bench/RESULTS.md after each, so that a failure late in the run still leaves the earlier tables.
 * Environment: BENCH_QUICK=1 (smoke run), BENCH_TIME_SCALE (default 1/300), BENCH_NOTICING_SCALE (benchmark 1,
 * default 1/60), BENCH_FLOOR_SCALE and BENCH_NOTICING_PARTS (benchmark 1c), BENCH_ONLY=1,3, BENCH_OUT.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { runCutover } from './cutover';
import { runDeepValidation } from './deep-validation';
import { runFailingFast } from './failing-fast';
import { runFleet } from './fleet';
import { startBenchStack, type BenchStack } from './lib/bench-stack';
import { describeMachine } from './lib/machine';
import type { BenchSection } from './lib/section';
import { loadBenchSettings, type BenchSettings } from './lib/settings';
import { table } from './lib/stats';
import { runNoticing } from './noticing';
import { runRestoreToQuery } from './restore-to-query';
import { runStartLatency } from './start-latency';

const BENCHMARKS: Array<[number, string, (stack: BenchStack) => Promise<BenchSection>]> = [
  [1, 'Noticing availability', runNoticing],
  [2, 'Failing fast', runFailingFast],
  [3, 'Start latency', runStartLatency],
  [4, 'Fleet', runFleet],
  [5, 'Deep validation throughput', runDeepValidation],
  [6, 'Restore to first query', runRestoreToQuery],
  [7, 'Cutover', runCutover],
];

function header(settings: BenchSettings, started: Date): string {
  return [
    '# Benchmarks (issue 6)',
    '',
    `Produced by \`${settings.quick ? 'BENCH_QUICK=1 ' : ''}npm run bench\` on ${started.toISOString()}. ` +
      'Every figure below comes from a **shared 2-core machine** on which other engineers were running test suites ' +
      'at the same time: treat small differences as noise. All servers are real processes on 127.0.0.1: the ' +
      'Temporal CLI dev server, versitygw (S3) and our RDS emulator.',
    '',
    `**Time scale ${settings.scale.label}**: 1 simulated second = ${settings.scale.label} real second. It applies ` +
      "to the emulator's restore and instance durations and to every strategy's delays alike (SDK, CLI and " +
      'Terraform delays, our `pollInterval`), except where a section states its own because the spec refuses a ' +
      'poll interval under 1 s real (benchmark 1 at `BENCH_NOTICING_SCALE`, 1/60 by default, and its part 1c at ' +
      '`BENCH_FLOOR_SCALE`, 1/5; benchmark 2 at 1/30; the fleet at 1/6). ' +
      'Latencies are reported in simulated time unless marked "real".',
    settings.quick ? '\n**Quick mode**: smaller sets than the issue asks for; not the reference figures.' : '',
    '',
    table(['Machine', ''], describeMachine()),
    '',
  ].join('\n');
}

/**
 * A stray rejection (a timer's read, a watcher's POST) must fail the section it belongs to, not end the run:
 * it is logged and the run's exit code says something went wrong.
 */
process.on('unhandledRejection', (reason) => {
  console.error('[bench] unhandled rejection (the run goes on):', reason);
  process.exitCode = 1;
});
// The same for a timer that throws after a failed section's servers were stopped (a gRPC retry on a closed
// channel): the results written so far stay, and the exit code says the run was not clean.
process.on('uncaughtException', (err) => {
  console.error('[bench] uncaught exception (the run goes on):', err);
  process.exitCode = 1;
});

async function main(): Promise<void> {
  const settings = loadBenchSettings(process.env, join(__dirname, '..', '..'));
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const started = new Date();
  const sections: string[] = [];
  const headlines: string[] = [];
  const write = (): void =>
    writeFileSync(settings.outFile, `${header(settings, started)}\n${sections.join('\n\n')}\n`, 'utf8');
  console.log(`[bench] data in ${settings.dataDir}; scale ${settings.scale.label}; quick=${settings.quick}`);
  const stack = await startBenchStack(settings);
  let failed = false;
  try {
    for (const [n, name, run] of BENCHMARKS) {
      if (!settings.only.has(n)) continue;
      const t0 = Date.now();
      console.log(`[bench] ${n}. ${name}…`);
      try {
        const section = await run(stack);
        sections.push(`${section.title}\n\n${section.markdown}`);
        headlines.push(...section.headlines.map((h) => `${n}. ${h}`));
      } catch (err) {
        failed = true;
        console.error(`[bench] ${n}. ${name} failed:`, err);
        sections.push(`## ${n}. ${name}\n\n**Did not complete**: ${(err as Error).message}`);
      }
      console.log(`[bench] ${n}. ${name} took ${((Date.now() - t0) / 1000).toFixed(0)} s`);
      write();
    }
  } finally {
    await stack.stop();
  }
  console.log(`[bench] results in ${settings.outFile}\n${headlines.join('\n')}`);
  if (failed) process.exitCode = 1;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
