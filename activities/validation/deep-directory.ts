/**
 * Deep mode on a directory-layout root: reads every byte of every object (ranged GETs, a few objects at a time),
 * hands tablespace bytes to the page verifier and keeps each tablespace's first bytes for the FSP-flag checks.
 * Its position (objects done, the offset within those in flight, the verifier's state) can be taken at any
 * moment between two pieces and given back to continue where a killed attempt stopped.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { isTablespacePath, TABLESPACE_HEAD_BYTES } from '../xtrabackup/container-issue';
import { createPageVerifier, type PageCheckSummary, type PageVerifierState } from '../xtrabackup/page-verifier';
import type { DirectoryRoot } from './layout';
import { readStreamSequentially } from './virtual-stream';

/** Where a directory read stands: objects below `next` are done except those in `active`. */
export interface DirectoryPosition {
  next: number;
  /** Objects being read and the offset read up to. */
  active: { index: number; offset: number }[];
  pages: PageVerifierState;
  /** Tablespace heads (base64) read so far. */
  heads: [string, string][];
}

/** What reading a root found. */
export interface DirectoryDeepResult {
  bytesRead: number;
  pages: PageCheckSummary;
  heads: Map<string, Buffer>;
}

/** Options of a deep directory read. */
export interface DirectoryDeepOptions {
  concurrency: number;
  signal?: AbortSignal;
  onBytes?: (n: number) => void;
  /** innodb_page_size from backup-my.cnf. */
  pageSize?: number;
  /** A position taken by `position()` in an earlier attempt. */
  resume?: DirectoryPosition;
  /** Verify the pages. @default true */
  checkPages?: boolean;
  /** Receives the function that takes the current position, once the read has started. */
  onStart?: (position: () => DirectoryPosition) => void;
}

/** Reads every object of `root`, verifying every InnoDB page. */
export async function readDirectoryDeep(
  s3: S3Client,
  bucket: string,
  root: DirectoryRoot,
  options: DirectoryDeepOptions,
): Promise<DirectoryDeepResult> {
  const { resume, signal } = options;
  const pages = createPageVerifier({ pageSize: options.pageSize, restore: resume?.pages });
  const heads = new Map<string, Buffer>((resume?.heads ?? []).map(([p, b]) => [p, Buffer.from(b, 'base64')]));
  const queue: { index: number; offset: number }[] = [...(resume?.active ?? [])];
  let next = resume?.next ?? 0;
  const active = new Map<number, { index: number; offset: number }>();
  let bytesRead = 0;
  options.onStart?.(() => ({
    next,
    active: [...queue, ...active.values()].map((a) => ({ ...a })).sort((x, y) => x.index - y.index),
    pages: pages.snapshot(),
    heads: [...heads].map(([p, b]) => [p, b.toString('base64')]),
  }));

  const readOne = async (item: { index: number; offset: number }): Promise<void> => {
    const file = root.files[item.index];
    if (!file) return;
    active.set(item.index, item);
    const src = { s3, bucket, parts: [{ key: file.object.key, size: file.object.size }] };
    for await (const buf of readStreamSequentially(src, { concurrency: 2, signal, from: item.offset })) {
      if (isTablespacePath(file.path) && item.offset < TABLESPACE_HEAD_BYTES) {
        const have = heads.get(file.path) ?? Buffer.alloc(0);
        heads.set(file.path, Buffer.concat([have, buf.subarray(0, TABLESPACE_HEAD_BYTES - item.offset)]));
      }
      if (options.checkPages !== false) pages.add(file.path, item.offset, buf);
      item.offset += buf.length;
      bytesRead += buf.length;
      options.onBytes?.(buf.length);
    }
    pages.endFile(file.path);
    active.delete(item.index);
  };

  const worker = async (): Promise<void> => {
    for (;;) {
      signal?.throwIfAborted();
      const item = queue.shift() ?? (next < root.files.length ? { index: next++, offset: 0 } : undefined);
      if (!item) return;
      await readOne(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
  return { bytesRead, pages: pages.end(), heads };
}

/** Bytes a deep read of `root` reads. */
export function directoryBytes(root: DirectoryRoot): number {
  return root.files.reduce((n, f) => n + f.object.size, 0);
}
