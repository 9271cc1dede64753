/** The markdown of benchmark 6 (restore to first query): the timed restores, the read rates, where we lose. */
import type { RealDataBackup } from '../../scripts/fixtures/real-data';
import type { RestoreTimeline } from './restore-timeline';
import { READER_LABELS, type S3ReadResult } from './s3-read-rates';
import type { BenchSection } from './section';
import { fixed, table } from './stats';

const MiB = 1024 * 1024;

/** One timed restore of one copy. */
export interface Timed {
  factor: number;
  backup: RealDataBackup;
  layout: string;
  bytes: number;
  run: number;
  timeline: RestoreTimeline;
}

/** One timed read of the largest backup. */
export type TimedRead = S3ReadResult & { layout: string };

const seconds = (ms: number | undefined): string => (ms === undefined ? '–' : fixed(ms / 1000, 2));
const span = (from: number | undefined, to: number | undefined): number | undefined =>
  from === undefined || to === undefined ? undefined : to - from;
const rate = (bytes: number, ms: number | undefined): number => (ms ? bytes / MiB / (ms / 1000) : NaN);

/** What the section reports; `counted` is the `schema.table` whose COUNT(*) was the first query. */
export interface RestoreResults {
  timed: Timed[];
  reads: TimedRead[];
  /** One line per size: rows loaded and the time to load and copy them. */
  loads: string[];
  factors: number[];
  largest?: RealDataBackup;
  counted: string;
  /** `os.loadavg()[0]` before and after the reads, e.g. `12.1 → 14.3`. */
  loadAverage: string;
}

/** Section 6's markdown and headlines. */
export function renderRestoreSection(results: RestoreResults): BenchSection {
  const { timed, reads, loads, factors, largest, counted } = results;
  const rounds = reads.filter((r) => r.layout === 'directory' && r.reader === 'layout').length;
  const rows = timed.map(({ factor, backup, layout, bytes, run, timeline: t }) => [
    `×${factor} (${backup.tables.reduce((n, x) => n + x.rows, 0).toLocaleString('en')} rows)`,
    layout,
    fixed(bytes / MiB, 1),
    `${run}`,
    seconds(t.created),
    seconds(span(t.created, t.mysqldStarted)),
    seconds(span(t.mysqldStarted, t.mysqldReady)),
    seconds(span(t.mysqldReady, t.serving)),
    seconds(span(t.serving, t.availableSeen)),
    seconds(t.firstQuery - t.availableSeen),
    `**${seconds(t.firstQuery)}**`,
    fixed(rate(bytes, span(t.created, t.mysqldStarted)), 0),
  ]);
  const mean = (layout: string, reader: string): number => {
    const mine = reads.filter((r) => r.layout === layout && r.reader === reader);
    return mine.reduce((s, r) => s + rate(r.bytes, r.ms), 0) / mine.length;
  };
  const perMiB = (ms: number | undefined, bytes: number): number => (ms === undefined ? NaN : ms / (bytes / MiB));
  const readRows = reads.map((r, i) => [
    `${i + 1}`,
    r.layout,
    r.reader,
    r.files === undefined ? `${r.objects}` : `${r.objects} (${r.files} files written)`,
    fixed(r.bytes / MiB, 1),
    fixed(r.ms / 1000, 2),
    fixed(rate(r.bytes, r.ms), 0),
    fixed(perMiB(r.cpuMs, r.bytes), 1),
    fixed(perMiB(r.serverCpuMs, r.bytes), 1),
  ]);
  const cpuMean = (layout: string, reader: string, f: (r: TimedRead) => number | undefined): number => {
    const mine = reads.filter((r) => r.layout === layout && r.reader === reader);
    return mine.reduce((n, r) => n + perMiB(f(r), r.bytes), 0) / mine.length;
  };
  const summaryRows = ['directory', 'xbstream'].flatMap((layout) =>
    (['layout', 'prefetch', 'ranged', 'plain'] as const).map((reader) => {
      const rates = reads.filter((r) => r.layout === layout && r.reader === reader).map((r) => rate(r.bytes, r.ms));
      return [
        layout,
        READER_LABELS[reader],
        fixed(mean(layout, reader), 0),
        `${fixed(Math.min(...rates), 0)}–${fixed(Math.max(...rates), 0)}`,
        fixed(
          cpuMean(layout, reader, (r) => r.cpuMs),
          1,
        ),
        fixed(
          cpuMean(layout, reader, (r) => r.serverCpuMs),
          1,
        ),
      ];
    }),
  );
  const losses: string[] = [];
  for (const layout of ['directory', 'xbstream']) {
    const ours = mean(layout, 'layout');
    const [bestName, best] = (['ranged', 'plain'] as const)
      .map((r) => [r, mean(layout, r)] as const)
      .reduce((a, b) => (b[1] > a[1] ? b : a));
    if (ours < best * 0.9) {
      const cpu = (r: string): string =>
        fixed(
          cpuMean(layout, r, (x) => x.cpuMs),
          1,
        );
      losses.push(
        `- **We lose** on ${layout}: the emulator lays out ${fixed(ours, 0)} MiB/s, the ${bestName} raw read reaches ` +
          `${fixed(best, 0)} MiB/s (its reader alone, without parsing or writes: ${fixed(mean(layout, 'prefetch'), 0)} MiB/s). ` +
          `CPU per MiB in our process: layout ${cpu('layout')} ms, reader alone ${cpu('prefetch')}, ranged ` +
          `${cpu('ranged')}, plain ${cpu('plain')}.`,
      );
    }
  }
  const byFactor = (factor: number): Timed[] => timed.filter((t) => t.factor === factor);
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)] ?? NaN;
  const headlines = factors.map((f) => {
    const mine = byFactor(f);
    const per = ['directory', 'xbstream'].map(
      (l) => `${l} ${seconds(median(mine.filter((t) => t.layout === l).map((t) => t.timeline.firstQuery)))} s`,
    );
    return `restore → first query, ×${f} (${fixed((mine[0]?.bytes ?? NaN) / MiB, 0)} MiB): ${per.join(', ')}`;
  });
  const markdown = [
    'A real source MySQL 8.0 (`scripts/stack/source-mysql.ts`) loaded with the sample shop schema at each size ' +
      '(`scaledSampleSize`: ×1 is the real-data sample), then `writeRealDataBackup` (clean shutdown, copy of its ' +
      'files) into both layouts. A second emulator process with real cluster servers (lifecycle phases of 0 ms, ' +
      'so `available` means its mysqld is up) restores each copy through `@aws-sdk/client-rds`; DescribeDBClusters ' +
      `every 50 ms until \`available\`, then mysql2 on the returned Endpoint/Port until \`SELECT COUNT(*) FROM ${counted}\` ` +
      "answers (the count is checked against the backup's). No DB instance is created: the emulator serves the " +
      'cluster endpoint once the cluster is available. Each cluster is deleted (mysqld stopped, volume removed) ' +
      'before the next restore. Times in **real** seconds.',
    '',
    loads.map((l) => `- ${l}`).join('\n'),
    '',
    'Phases, read without any timing hook: _restore call_ ends at the ClusterCreateTime RestoreDBClusterFromS3 ' +
      "returns (the emulator's S3 check of the prefix is done and the bring-up begins); _S3 layout_ ends at the first line of the cluster's mysqld error log (listing, reading and writing the volume, the " +
      'bring-up plan, then spawning mysqld); _mysqld start_ ends at its "ready for connections" line; ' +
      '_provision_ ends at the date of the "Recovered from Binary log" event (master user, procedures, GTID read); ' +
      '_seen_ is until our poll saw `available`; _query_ is connect + COUNT(*).',
    '',
    table(
      [
        'Backup',
        'Layout',
        'MiB',
        'Run',
        'restore call',
        'S3 layout',
        'mysqld start',
        'provision',
        'seen',
        'query',
        'total (s)',
        'S3 layout MiB/s',
      ],
      rows,
    ),
    '',
    `### S3 read rate of the restore, ×${factors[factors.length - 1]} backup` +
      (largest ? ` (${largest.copies.map((c) => `${c.layout} ${fixed(c.bytes / MiB, 1)} MiB`).join(', ')})` : ''),
    '',
    `The same objects read in turn by each reader (${rounds} round${rounds === 1 ? '' : 's'}, the order turned each round, \`sync\` after ` +
      'each layout), in this process, on one S3Client built as the emulator builds its own; the layout writes a ' +
      `scratch volume on the same disk. CPU time per MiB is this process's (user + system) and versitygw's (from ` +
      `/proc): on a loaded machine it is steadier than the wall clock. Load average (1 min) during the reads: ` +
      `${results.loadAverage}.`,
    '',
    table(['Layout', 'Reader', 'MiB/s, mean', 'min–max', 'CPU ms/MiB, ours', 'CPU ms/MiB, versitygw'], summaryRows),
    '',
    'Every read:',
    '',
    table(
      ['#', 'Layout', 'Reader', 'Objects', 'MiB', 'Seconds', 'MiB/s', 'CPU ms/MiB', 'versitygw CPU ms/MiB'],
      readRows,
    ),
    '',
    ...['directory', 'xbstream'].map(
      (l) =>
        `- ${l}, means: layout ${fixed(mean(l, 'layout'), 0)} MiB/s, its reader alone ${fixed(mean(l, 'prefetch'), 0)}, ` +
        `ranged one at a time ${fixed(mean(l, 'ranged'), 0)}, plain GET ${fixed(mean(l, 'plain'), 0)} MiB/s.`,
    ),
    '',
    ...losses,
  ].join('\n');
  return { title: '## 6. Restore to first query', markdown, headlines };
}
