/**
 * Treats the ordered parts of a (split) stream as one byte sequence: ranged reads across part boundaries, and a
 * sequential read with a bounded number of ranged GETs in flight, so memory stays flat in the object size.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { getRange } from './s3-io';

/** One part of a stream, in order. */
export interface StreamPart {
  key: string;
  size: number;
}

/** Where the parts live. */
export interface StreamSource {
  s3: S3Client;
  bucket: string;
  parts: StreamPart[];
}

/** Total size of the concatenated parts. */
export function streamSize(parts: StreamPart[]): number {
  return parts.reduce((n, p) => n + p.size, 0);
}

/** The part holding a stream offset (for finding paths). */
export function partAt(parts: StreamPart[], offset: number): StreamPart | undefined {
  let base = 0;
  for (const p of parts) {
    if (offset < base + p.size) return p;
    base += p.size;
  }
  return parts[parts.length - 1];
}

interface Piece {
  key: string;
  start: number;
  end: number;
}

function piecesOf(parts: StreamPart[], from: number, to: number, rangeSize: number): Piece[] {
  const out: Piece[] = [];
  let base = 0;
  for (const p of parts) {
    const lo = Math.max(from, base);
    const hi = Math.min(to, base + p.size);
    for (let s = lo; s < hi; s += rangeSize)
      out.push({ key: p.key, start: s - base, end: Math.min(hi, s + rangeSize) - base });
    base += p.size;
  }
  return out;
}

/** Reads stream bytes `[from, to)`, crossing part boundaries as needed. */
export async function readStreamRange(
  src: StreamSource,
  from: number,
  to: number,
  signal?: AbortSignal,
): Promise<Buffer> {
  const pieces = piecesOf(src.parts, from, to, Number.MAX_SAFE_INTEGER);
  const bufs = await Promise.all(pieces.map((p) => getRange(src.s3, src.bucket, p.key, p.start, p.end, signal)));
  return Buffer.concat(bufs);
}

/** Options of a sequential read. */
export interface SequentialReadOptions {
  /** Bytes per ranged GET. @default 8 MiB */
  rangeSize?: number;
  /** Ranged GETs in flight. @default 4 */
  concurrency?: number;
  signal?: AbortSignal;
  /** Stream offset to start at. @default 0 */
  from?: number;
}

/** Yields the whole stream in order, prefetching at most `concurrency` ranges. */
export async function* readStreamSequentially(
  src: StreamSource,
  options: SequentialReadOptions = {},
): AsyncGenerator<Buffer> {
  const rangeSize = options.rangeSize ?? 8 * 1024 * 1024;
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const { signal } = options;
  const pieces = piecesOf(src.parts, options.from ?? 0, streamSize(src.parts), rangeSize);
  const inFlight: Promise<Buffer>[] = [];
  let next = 0;
  const fill = (): void => {
    while (inFlight.length < concurrency && next < pieces.length) {
      const p = pieces[next++];
      if (!p) break;
      const promise = getRange(src.s3, src.bucket, p.key, p.start, p.end, signal);
      promise.catch(() => undefined); // surfaced when awaited; avoids unhandled rejections if we stop early
      inFlight.push(promise);
    }
  };
  fill();
  while (inFlight.length > 0) {
    signal?.throwIfAborted();
    const head = inFlight.shift();
    if (!head) break;
    const buf = await head;
    fill();
    yield buf;
  }
}
