/**
 * Benchmark 6, restore to first query (issue 9): real-data backups of a real source MySQL 8.0 at two or more
 * sizes (the sample and the sample with many times its rows), each in both layouts the emulator reads (directory,
 * one xbstream); the time from RestoreDBClusterFromS3 (real AWS SDK) to the first `SELECT COUNT(*)` answered on
 * the returned Endpoint/Port, broken into the emulator's phases; then the S3 read rate of the emulator's layout
 * of the largest backup beside raw reads of the same objects with the same S3 client.
 */
import { loadavg } from 'node:os';
import { join } from 'node:path';
import {
  writeRealDataBackup,
  scaledSampleSize,
  SAMPLE_SCHEMA,
  type RealDataBackup,
} from '../scripts/fixtures/real-data';
import { startSourceMysql } from '../scripts/stack/source-mysql';
import type { BenchStack } from './lib/bench-stack';
import { startClusterServerEmulator } from './lib/cluster-server-emulator';
import { renderRestoreSection, type Timed, type TimedRead } from './lib/restore-report';
import { timeRestore } from './lib/restore-timeline';
import { emulatorLikeS3Client, timeS3Read } from './lib/s3-read-rates';
import type { BenchSection } from './lib/section';

const BUCKET = 'bench-restore';
const COUNTED = `${SAMPLE_SCHEMA}.order_items`;

/** Runs benchmark 6 and returns its section. */
export async function runRestoreToQuery(stack: BenchStack): Promise<BenchSection> {
  const quick = stack.settings.quick;
  const factors = quick ? [1, 10] : [1, 30, 100];
  const repeats = quick ? 1 : 2;
  const dir = join(stack.settings.dataDir, 'restore-bench');
  const source = await startSourceMysql({ major: '8.0', dataDir: join(dir, 'source-mysql') });
  const emu = await startClusterServerEmulator(stack).catch(async (err: unknown) => {
    await source.stop();
    throw err;
  });
  const password = 'Bench-Restore-Passw0rd';
  const timed: Timed[] = [];
  const loads: string[] = [];
  const reads: TimedRead[] = [];
  const s3 = emulatorLikeS3Client(stack.stack.s3);
  let largest: RealDataBackup | undefined;
  let loadAverage = '–';
  try {
    for (const factor of factors) {
      const admin = await source.adminConnection();
      await admin.query(`DROP DATABASE IF EXISTS ${SAMPLE_SCHEMA}`).finally(() => admin.end());
      const t0 = Date.now();
      const backup = await writeRealDataBackup({
        source,
        s3: stack.s3,
        bucket: BUCKET,
        targets: [
          { layout: 'directory', prefix: `x${factor}/dir/` },
          { layout: 'xbstream', prefix: `x${factor}/xbs/` },
        ],
        sample: { size: scaledSampleSize(factor) },
      });
      const rows = backup.tables.reduce((n, t) => n + t.rows, 0);
      loads.push(
        `×${factor}: ${rows.toLocaleString('en')} rows loaded and copied in ${((Date.now() - t0) / 1000).toFixed(0)} s`,
      );
      largest = backup;
      const expected = backup.tables.find((t) => t.table === COUNTED)?.rows;
      for (let run = 1; run <= repeats; run += 1) {
        for (const copy of backup.copies) {
          const timeline = await timeRestore(emu, {
            clusterId: `restore-x${factor}-${copy.layout}-${run}`,
            bucket: BUCKET,
            prefix: copy.prefix,
            sourceEngineVersion: backup.serverVersion.replace(/-.*$/, ''),
            table: COUNTED,
            password,
          });
          if (timeline.rows !== expected) {
            throw new Error(`the restored ${COUNTED} has ${timeline.rows} rows, the backup ${expected}`);
          }
          timed.push({ factor, backup, layout: copy.layout, bytes: copy.bytes, run, timeline });
          console.log(`[bench] 6. ×${factor} ${copy.layout} run ${run}: first query after ${timeline.firstQuery} ms`);
        }
      }
    }
    const load0 = loadavg()[0] ?? NaN;
    if (largest) {
      // The order turns each round, so that no reader always runs first (cold) or right after the layout's writes.
      const order = ['layout', 'prefetch', 'ranged', 'plain'] as const;
      for (let round = 0; round < (quick ? 1 : 4); round += 1) {
        for (const copy of largest.copies) {
          for (const reader of order.map((_, i) => order[(i + round) % order.length] ?? 'layout')) {
            const target = { s3, bucket: BUCKET, prefix: copy.prefix, scratchDir: dir, serverPid: stack.stack.s3.pid };
            reads.push({ layout: copy.layout, ...(await timeS3Read(target, reader)) });
          }
        }
      }
    }
    loadAverage = `${load0.toFixed(1)} → ${(loadavg()[0] ?? NaN).toFixed(1)}`;
  } finally {
    s3.destroy();
    await emu.stop();
    await source.stop();
  }
  return renderRestoreSection({ timed, reads, loads, factors, largest, counted: COUNTED, loadAverage });
}
