/**
 * Lays a backup in S3 out as a cluster volume (a MySQL data directory) with the validator's own readers: its
 * listing and layout detection, its ranged sequential reads, and its container walkers (xbstream, tar, tar.gz)
 * with a sink that writes each file's bytes where they belong. No second parser of any format.
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { walkContainer } from '../../activities/validation/container-walk';
import { detectLayout } from '../../activities/validation/layout';
import { listAllObjects } from '../../activities/validation/s3-io';
import { readStreamSequentially } from '../../activities/validation/virtual-stream';
import { isSafeStreamPath } from '../../activities/xtrabackup/xbstream';

/** Why a backup cannot be laid out; the message is shown in the cluster's RDS event. */
export class VolumeError extends Error {
  override readonly name = 'VolumeError';
}

/** What was laid out. */
export interface LaidOutVolume {
  format: string;
  /** Paths written, relative to the volume. */
  files: string[];
  /** Bytes read from S3 (compressed bytes for `.tar.gz`). */
  bytesRead: number;
}

/** Where to read the backup and where to write it. */
export interface VolumeSource {
  s3: S3Client;
  bucket: string;
  prefix: string;
  volumeDir: string;
  signal?: AbortSignal;
}

/** Reads every file of the backup under `prefix` into `volumeDir` (created; expected empty). */
export async function layOutVolume(source: VolumeSource): Promise<LaidOutVolume> {
  const { s3, bucket, prefix, volumeDir, signal } = source;
  const layout = detectLayout(bucket, prefix, await listAllObjects(s3, bucket, prefix, signal));
  mkdirSync(volumeDir, { recursive: true });
  const files = new FileWriter(volumeDir);
  let bytesRead = 0;
  try {
    if (layout.format === 'directory') {
      if (layout.roots.length !== 1) {
        throw new VolumeError(`the prefix holds ${layout.roots.length} backup roots; a restore reads exactly one`);
      }
      for (const { path, object } of layout.roots[0]?.files ?? []) {
        const src = { s3, bucket, parts: [{ key: object.key, size: object.size }] };
        let offset = 0;
        files.touch(path);
        for await (const buf of readStreamSequentially(src, { signal })) {
          files.write(path, offset, buf);
          offset += buf.length;
          bytesRead += buf.length;
        }
      }
    } else if (layout.streamParts.length > 0 && layout.format !== 'unknown') {
      const walk = await walkContainer({ s3, bucket, parts: layout.streamParts }, layout.format, {
        signal,
        onFileData: (path, offset, data) => files.write(path, offset, data),
      });
      bytesRead = walk.bytesRead;
      const broken = walk.issues.find((i) => i.severity === 'error');
      if (broken) throw new VolumeError(`the ${layout.format} stream cannot be extracted: ${broken.message}`);
      if (!walk.complete) throw new VolumeError(`the ${layout.format} stream was not read to its end`);
      // An empty file (5.7's MyISAM grant tables' .MYD) carries no data, so the sink never saw it: create it.
      for (const path of walk.paths) files.touch(path);
    } else {
      throw new VolumeError(`no readable backup layout under s3://${bucket}/${prefix} (found ${layout.format})`);
    }
  } finally {
    files.close();
  }
  return { format: layout.format, files: files.paths(), bytesRead };
}

/** Descriptors kept open at once; a stream interleaves files rarely, so closing all beyond this is cheap. */
const MAX_OPEN_FILES = 128;

/** Positional writes into files under one folder, a bounded set of descriptors, refusing unsafe paths. */
class FileWriter {
  private readonly open = new Map<string, number>();
  private readonly seen = new Set<string>();

  constructor(private readonly root: string) {}

  touch(path: string): void {
    this.fd(path);
  }

  write(path: string, offset: number, data: Buffer): void {
    const fd = this.fd(path);
    let done = 0;
    while (done < data.length) done += writeSync(fd, data, done, data.length - done, offset + done);
  }

  paths(): string[] {
    return [...this.seen];
  }

  close(): void {
    for (const fd of this.open.values()) closeSync(fd);
    this.open.clear();
  }

  private fd(path: string): number {
    const known = this.open.get(path);
    if (known !== undefined) return known;
    if (!isSafeStreamPath(path)) throw new VolumeError(`unsafe path '${path}' in the backup`);
    if (this.open.size >= MAX_OPEN_FILES) this.close();
    const target = join(this.root, path);
    mkdirSync(dirname(target), { recursive: true });
    const fd = openSync(target, this.seen.has(path) ? 'r+' : 'w', 0o640);
    this.open.set(path, fd);
    this.seen.add(path);
    return fd;
  }
}
