/**
 * Reads the small metadata objects of a directory-layout backup from S3 (deep mode's read of every byte is in
 * deep-directory.ts).
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { CAPTURED_METADATA_FILES, MAX_CAPTURE_BYTES } from '../xtrabackup/container-issue';
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
