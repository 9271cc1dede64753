/**
 * Benchmark 5, deep validation throughput: a ≥2 GiB xbstream generated and uploaded streamingly to the S3
 * server, then read alternately by our deep validation and by raw ranged GETs of the same objects (same range
 * size and concurrency), each in its own child process so that its peak RSS (VmHWM) is its own.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { largeXbstream, uploadStream } from '../scripts/fixtures';
import type { ReadBackupConfig, ReadBackupResult } from './children/read-backup';
import type { BenchStack } from './lib/bench-stack';
import type { BenchSection } from './lib/section';
import { fixed, table } from './lib/stats';

const run = promisify(execFile);
const MiB = 1024 * 1024;

/**
 * Runs the child; retries once after 30 s when its file is missing, because scripts/bootstrap.sh rebuilds lib/
 * with `rm -rf lib` whenever another session in the same checkout runs it.
 */
async function runChild(child: string, mode: string, config: string): Promise<{ stdout: string }> {
  try {
    return await run(process.execPath, [child, mode, config], { maxBuffer: 1024 * 1024 });
  } catch (err) {
    if (!String((err as { stderr?: string }).stderr).includes('MODULE_NOT_FOUND')) throw err;
    await new Promise((r) => setTimeout(r, 30_000));
    return run(process.execPath, [child, mode, config], { maxBuffer: 1024 * 1024 });
  }
}

/** Runs benchmark 5 and returns its section. */
export async function runDeepValidation(stack: BenchStack): Promise<BenchSection> {
  const dataBytes = (stack.settings.quick ? 256 : 2048) * MiB;
  const bucket = 'bench-big';
  const prefix = 'deep/';
  const t0 = Date.now();
  const size = await uploadStream(stack.s3, bucket, `${prefix}backup.xbstream`, largeXbstream(dataBytes));
  const uploadSeconds = (Date.now() - t0) / 1000;
  const config: ReadBackupConfig = {
    endpoint: stack.stack.s3.endpoint,
    region: stack.stack.s3.region,
    accessKeyId: stack.stack.s3.accessKeyId,
    secretAccessKey: stack.stack.s3.secretAccessKey,
    bucket,
    prefix,
    rangeSize: 8 * MiB,
    concurrency: 4,
  };
  const child = join(stack.settings.repoRoot, 'lib', 'bench', 'children', 'read-backup.js');
  const results: ReadBackupResult[] = [];
  for (const mode of ['raw', 'deep', 'deep-no-pages', 'raw', 'deep', 'deep-no-pages'] as const) {
    const { stdout } = await runChild(child, mode, JSON.stringify(config));
    results.push(JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as ReadBackupResult);
  }
  const rate = (r: ReadBackupResult): number => r.bytes / MiB / (r.ms / 1000);
  const mean = (mode: string, f: (r: ReadBackupResult) => number): number => {
    const mine = results.filter((r) => r.mode === mode);
    return mine.reduce((s, r) => s + f(r), 0) / mine.length;
  };
  const rawRate = mean('raw', rate);
  const deepRate = mean('deep', rate);
  const noPagesRate = mean('deep-no-pages', rate);
  const rows = results.map((r, i) => [
    `${i + 1}`,
    r.mode === 'deep'
      ? 'deep validation with the InnoDB page check'
      : r.mode === 'deep-no-pages'
        ? 'deep validation without the page check (before)'
        : 'raw ranged GETs (no parsing)',
    fixed(r.bytes / MiB, 0),
    fixed(r.ms / 1000, 1),
    fixed(rate(r), 0),
    fixed(r.peakRssMiB, 0),
    r.mode === 'raw' ? '' : `${r.ok ? 'ok' : 'NOT ok'}, ${r.errors} errors`,
  ]);
  const ratio = deepRate / rawRate;
  const markdown = [
    `One xbstream of ${fixed(size / MiB / 1024, 2)} GiB (${fixed(size / MiB, 0)} MiB) generated chunk by chunk ` +
      `(\`largeXbstream\`) and uploaded as a multipart upload (\`uploadStream\`) to versitygw in ` +
      `${uploadSeconds.toFixed(0)} s. Each read runs in its own child process; 8 MiB ranges, 4 in flight, for both.`,
    '',
    table(['Run', 'Reader', 'MiB read', 'Seconds', 'MiB/s', 'Peak RSS (MiB)', 'Report'], rows),
    '',
    `**Deep validation ${fixed(deepRate, 0)} MiB/s vs raw ranged GETs ${fixed(rawRate, 0)} MiB/s: ratio ` +
      `${fixed(ratio, 2)}**; without the page check (the old deep mode) ${fixed(noPagesRate, 0)} MiB/s, ` +
      `so the page check costs ${fixed((1 - deepRate / noPagesRate) * 100, 0)} % (means of two runs each). Peak RSS: deep ${fixed(
        mean('deep', (r) => r.peakRssMiB),
        0,
      )} ` +
      `MiB, raw ${fixed(
        mean('raw', (r) => r.peakRssMiB),
        0,
      )} MiB.`,
    ratio < 0.9 ? `\nWe lose ${fixed((1 - ratio) * 100, 0)} % of the raw read rate to parsing and checksumming.` : '',
    mean('deep', (r) => r.peakRssMiB) > mean('raw', (r) => r.peakRssMiB)
      ? `\n**We lose** on peak RSS: deep validation holds ` +
        `${fixed(mean('deep', (r) => r.peakRssMiB) - mean('raw', (r) => r.peakRssMiB), 0)} MiB more than the raw read.`
      : '',
  ].join('\n');
  return {
    title: '## 5. Deep validation throughput',
    markdown,
    headlines: [
      `deep ${fixed(deepRate, 0)} MiB/s with page checks (${fixed(noPagesRate, 0)} without) vs raw ${fixed(rawRate, 0)} MiB/s (ratio ${fixed(ratio, 2)}) on ${fixed(size / MiB, 0)} MiB; peak RSS deep ${fixed(
        mean('deep', (r) => r.peakRssMiB),
        0,
      )} MiB, raw ${fixed(
        mean('raw', (r) => r.peakRssMiB),
        0,
      )} MiB`,
    ],
  };
}
