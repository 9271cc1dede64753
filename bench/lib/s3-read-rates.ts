/**
 * The S3 read rate of the emulator's restore beside raw reads of the same objects with the same S3 client: the
 * emulator's own `layOutVolume` (emulator/cluster-server/volume.ts: listing, layout detection, 8 MiB ranged GETs
 * with 4 in flight per object, container walk, positional writes into the volume), its reader alone without the
 * writes (`readStreamSequentially` per object, the same prefetch), 8 MiB ranged GETs one at a time, and one plain
 * GET per object. Each reader runs in this process on one S3Client built as the emulator builds its own.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getRange, listAllObjects } from '../../activities/validation/s3-io';
import { readStreamSequentially } from '../../activities/validation/virtual-stream';
import { layOutVolume } from '../../emulator/cluster-server/volume';

/** The readers compared. */
export type S3Reader = 'layout' | 'prefetch' | 'ranged' | 'plain';

/** What each reader is, for the table. */
export const READER_LABELS: Record<S3Reader, string> = {
  layout: "the emulator's restore: layOutVolume (8 MiB ranges, 4 in flight per object, parse, write the volume)",
  prefetch: "the emulator's reader alone: readStreamSequentially per object (8 MiB, 4 in flight), no writes",
  ranged: 'raw ranged GETs: 8 MiB, one at a time, object after object',
  plain: 'raw plain GET: one GET per object, body streamed',
};

/** One timed read. */
export interface S3ReadResult {
  reader: S3Reader;
  /** Objects under the prefix (listed outside the timed read for the layout, which lists them itself). */
  objects: number;
  /** Files the layout wrote into the volume. */
  files?: number;
  bytes: number;
  ms: number;
  /** CPU time of this process (user + system) during the read: on a loaded machine steadier than `ms`. */
  cpuMs: number;
  /** CPU time of the S3 server's process during the read, when its PID was given. */
  serverCpuMs?: number;
}

/** The S3 server's address (the stack's). */
export interface S3Address {
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

/** The client as ClusterServers builds it (path-style, static credentials). */
export function emulatorLikeS3Client(address: S3Address): S3Client {
  const { endpoint, region, accessKeyId, secretAccessKey } = address;
  return new S3Client({ endpoint, region, forcePathStyle: true, credentials: { accessKeyId, secretAccessKey } });
}

const RANGE = 8 * 1024 * 1024;

/** Where to read and what to measure. */
export interface S3ReadTarget {
  s3: S3Client;
  bucket: string;
  prefix: string;
  /** Holds the laid-out volume (removed after each layout). */
  scratchDir: string;
  /** The S3 server's PID (versitygw), to take its CPU time from /proc. */
  serverPid?: number;
}

/** Reads everything under the prefix with `reader`, measuring wall clock and CPU time. */
export async function timeS3Read(target: S3ReadTarget, reader: S3Reader): Promise<S3ReadResult> {
  const server0 = processCpuMs(target.serverPid);
  const cpu0 = process.cpuUsage();
  const result = await read(target, reader);
  const cpu = process.cpuUsage(cpu0);
  const server1 = processCpuMs(target.serverPid);
  const serverCpuMs = server0 !== undefined && server1 !== undefined ? server1 - server0 : undefined;
  return { ...result, cpuMs: (cpu.user + cpu.system) / 1000, ...(serverCpuMs === undefined ? {} : { serverCpuMs }) };
}

async function read(target: S3ReadTarget, reader: S3Reader): Promise<Omit<S3ReadResult, 'cpuMs'>> {
  const { s3, bucket, prefix, scratchDir } = target;
  if (reader === 'layout') {
    const objects = (await listAllObjects(s3, bucket, prefix)).length;
    const volumeDir = mkdtempSync(join(scratchDir, 'volume-'));
    try {
      const t0 = performance.now();
      const laid = await layOutVolume({ s3, bucket, prefix, volumeDir });
      const ms = performance.now() - t0;
      return { reader, objects, files: laid.files.length, bytes: laid.bytesRead, ms };
    } finally {
      rmSync(volumeDir, { recursive: true, force: true });
      // The volume's writeback must not land on the next reader's clock.
      execFileSync('sync');
    }
  }
  const t0 = performance.now();
  const objects = await listAllObjects(s3, bucket, prefix);
  let bytes = 0;
  for (const object of objects) {
    if (reader === 'prefetch') {
      const parts = [{ key: object.key, size: object.size }];
      for await (const buf of readStreamSequentially({ s3, bucket, parts })) bytes += buf.length;
    } else if (reader === 'ranged') {
      for (let start = 0; start < object.size; start += RANGE) {
        bytes += (await getRange(s3, bucket, object.key, start, Math.min(object.size, start + RANGE))).length;
      }
    } else {
      const res = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: object.key }));
      for await (const chunk of res.Body as Readable) bytes += (chunk as Buffer).length;
    }
  }
  return { reader, objects: objects.length, bytes, ms: performance.now() - t0 };
}

let clockTicks: number | undefined;

/** utime + stime of a process in ms, from /proc/<pid>/stat (fields 14 and 15, in clock ticks). */
function processCpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8')
      .replace(/^.*\) /, '')
      .split(' ');
    clockTicks ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    // After the ") " that ends the command name, field 3 (state) is index 0: utime is index 11, stime 12.
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks;
  } catch {
    return undefined;
  }
}
