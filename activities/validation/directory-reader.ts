/**
 * Reads what a directory-layout backup needs from S3: its small metadata objects (whole) and, in deep mode, the
 * first bytes of each tablespace, with bounded concurrency.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import {
  CAPTURED_METADATA_FILES,
  isTablespacePath,
  MAX_CAPTURE_BYTES,
  TABLESPACE_HEAD_BYTES,
} from '../xtrabackup/container-issue';
import type { DirectoryRoot } from './layout';
import { getRange } from './s3-io';

/** Fetches the root's metadata files (`xtrabackup_info`…) into memory, each capped at 1 MiB. */
export async function readRootMetadata(
  s3: S3Client,
  bucket: string,
  root: DirectoryRoot,
  signal?: AbortSignal,
): Promise<Map<string, Buffer>> {
  const wanted = root.files.filter((f) => CAPTURED_METADATA_FILES.has(f.path));
  const bufs = await Promise.all(
    wanted.map((f) => getRange(s3, bucket, f.object.key, 0, Math.min(f.object.size, MAX_CAPTURE_BYTES), signal)),
  );
  return new Map(wanted.map((f, i) => [f.path, bufs[i] ?? Buffer.alloc(0)]));
}

/** Reads the first bytes of every tablespace of a root; reports bytes read through `onBytes`. */
export async function readTablespaceHeads(
  s3: S3Client,
  bucket: string,
  root: DirectoryRoot,
  options: { concurrency: number; signal?: AbortSignal; onBytes?: (n: number) => void },
): Promise<Map<string, Buffer>> {
  const todo = root.files.filter((f) => isTablespacePath(f.path) && f.object.size >= TABLESPACE_HEAD_BYTES);
  const out = new Map<string, Buffer>();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < todo.length) {
      options.signal?.throwIfAborted();
      const f = todo[next++];
      if (!f) return;
      const head = await getRange(s3, bucket, f.object.key, 0, TABLESPACE_HEAD_BYTES, options.signal);
      options.onBytes?.(head.length);
      out.set(f.path, head);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
  return out;
}

/** Bytes deep mode reads from a root (for progress totals). */
export function tablespaceHeadBytes(root: DirectoryRoot): number {
  return (
    root.files.filter((f) => isTablespacePath(f.path) && f.object.size >= TABLESPACE_HEAD_BYTES).length *
    TABLESPACE_HEAD_BYTES
  );
}
