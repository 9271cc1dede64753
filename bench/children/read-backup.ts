/**
 * Child process of benchmark 5: reads one backup either through our deep validation or as raw ranged GETs of the
 * same objects (same range size and concurrency, bytes materialised as the validator materialises them), then
 * prints one JSON line with the bytes read, the time taken and this process's peak RSS (VmHWM).
 * `deep-no-pages` is deep validation without the InnoDB page check (how deep mode read before it had one).
 * Usage: node lib/bench/children/read-backup.js <deep|deep-no-pages|raw> '<json config>'
 */
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { validateBackup } from '../../activities/backup-validation';
import { readProcUsage } from '../lib/proc';
import { mapLimit } from '../lib/stats';

/** What the parent passes. */
export interface ReadBackupConfig {
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  bucket: string;
  prefix: string;
  /** Bytes per ranged GET (the validator's default: 8 MiB). */
  rangeSize: number;
  /** Ranged GETs in flight (the validator's default: 4). */
  concurrency: number;
}

/** What the child prints. */
export interface ReadBackupResult {
  mode: 'deep' | 'deep-no-pages' | 'raw';
  bytes: number;
  ms: number;
  peakRssMiB: number;
  ok: boolean;
  errors: number;
}

async function rawRead(s3: S3Client, config: ReadBackupConfig): Promise<number> {
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: config.bucket, Prefix: config.prefix }));
  const ranges = (listed.Contents ?? []).flatMap((o) => {
    const size = o.Size ?? 0;
    return Array.from({ length: Math.ceil(size / config.rangeSize) }, (_, i) => ({
      key: o.Key ?? '',
      start: i * config.rangeSize,
      end: Math.min(size, (i + 1) * config.rangeSize),
    }));
  });
  const sizes = await mapLimit(ranges, config.concurrency, async (r) => {
    const res = await s3.send(
      new GetObjectCommand({ Bucket: config.bucket, Key: r.key, Range: `bytes=${r.start}-${r.end - 1}` }),
    );
    const bytes = (await res.Body?.transformToByteArray()) ?? new Uint8Array();
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).length;
  });
  return sizes.reduce((a, b) => a + b, 0);
}

async function main(): Promise<void> {
  const arg = process.argv[2];
  const mode = arg === 'raw' ? 'raw' : arg === 'deep-no-pages' ? 'deep-no-pages' : 'deep';
  const config = JSON.parse(process.argv[3] ?? '{}') as ReadBackupConfig;
  const s3 = new S3Client({
    endpoint: config.endpoint,
    region: config.region,
    forcePathStyle: true,
    credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey },
  });
  const t0 = performance.now();
  let bytes: number;
  let ok = true;
  let errors = 0;
  if (mode === 'raw') {
    bytes = await rawRead(s3, config);
  } else {
    const report = await validateBackup(
      s3,
      {
        bucket: config.bucket,
        prefix: config.prefix,
        region: config.region,
        sourceEngineVersion: '8.0.35',
        engineVersion: '8.0.mysql_aurora.3.07.1',
        mode: 'deep',
      },
      { concurrency: config.concurrency, checkPages: mode === 'deep' },
    );
    bytes = report.bytesVerified ?? 0;
    ok = report.ok;
    errors = report.findings.filter((f) => f.severity === 'error').length;
  }
  const ms = performance.now() - t0;
  const result: ReadBackupResult = {
    mode,
    bytes,
    ms,
    peakRssMiB: readProcUsage('self')?.peakRssMiB ?? NaN,
    ok,
    errors,
  };
  console.log(JSON.stringify(result));
  s3.destroy();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
