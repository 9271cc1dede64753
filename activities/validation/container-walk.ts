/**
 * Reads a stream container (xbstream, tar, tar.gz) from S3 in order and runs the matching walker over it: the deep
 * check of every byte, and the bounded head-first read quick mode uses for `.tar.gz` (which cannot be read from
 * its tail).
 */
import type { BackupFormat } from '../../workflows/types';
import type { ContainerIssue } from '../xtrabackup/container-issue';
import { createTarWalker } from '../xtrabackup/tar-walker';
import { createXbstreamWalker } from '../xtrabackup/xbstream-walker';
import { FindingCodes } from './findings';
import { gunzipChunks } from './gunzip-chunks';
import { readStreamSequentially, type SequentialReadOptions, type StreamSource } from './virtual-stream';

/** What walking a container found. */
export interface ContainerWalk {
  bytesRead: number;
  chunks?: number;
  paths: string[];
  captured: Map<string, Buffer>;
  tablespaceHeads: Map<string, Buffer>;
  issues: ContainerIssue[];
  /** False when the walk stopped early (quick mode found the metadata, or its budget ran out). */
  complete: boolean;
}

/** Options of a container walk. */
export interface WalkOptions extends SequentialReadOptions {
  onBytes?: (n: number) => void;
  /** Stop once `xtrabackup_info` has been read (tar formats), or after this many compressed bytes. */
  stopAtInfo?: boolean;
  maxBytes?: number;
}

/** Walks the whole container (or until `stopAtInfo`/`maxBytes`), verifying what its format allows. */
export async function walkContainer(
  src: StreamSource,
  format: BackupFormat,
  options: WalkOptions,
): Promise<ContainerWalk> {
  const local = new AbortController();
  const onAbort = (): void => local.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  let bytesRead = 0;
  let stopped = false;
  const source = async function* (): AsyncGenerator<Buffer> {
    for await (const buf of readStreamSequentially(src, { ...options, signal: local.signal })) {
      bytesRead += buf.length;
      options.onBytes?.(buf.length);
      yield buf;
      if (options.maxBytes !== undefined && bytesRead >= options.maxBytes) {
        stopped = true;
        return;
      }
    }
  };
  try {
    if (format === 'xbstream') {
      const walker = createXbstreamWalker();
      for await (const buf of source()) walker.push(buf);
      const r = walker.end();
      return {
        bytesRead,
        chunks: r.chunks,
        paths: r.paths,
        captured: r.captured,
        tablespaceHeads: r.tablespaceHeads,
        issues: r.issues,
        complete: !stopped,
      };
    }
    const tar = createTarWalker();
    const gzipIssues: ContainerIssue[] = [];
    if (format === 'tar') {
      for await (const buf of source()) {
        tar.push(buf);
        if (options.stopAtInfo && tar.hasInfo()) {
          stopped = true;
          break;
        }
      }
    } else {
      try {
        for await (const buf of gunzipChunks(source())) {
          tar.push(buf);
          if (options.stopAtInfo && tar.hasInfo()) {
            stopped = true;
            break;
          }
        }
      } catch (err) {
        const code = (err as { code?: string }).code ?? '';
        if (!code.startsWith('Z_') && code !== 'ERR_STREAM_PREMATURE_CLOSE') throw err;
        if (!stopped) {
          gzipIssues.push({
            code: FindingCodes.GzipCorrupt,
            severity: 'error',
            message: `gzip data is corrupt or truncated: ${(err as Error).message}`,
          });
        }
      }
    }
    const r = tar.end();
    const issues =
      stopped || gzipIssues.length > 0
        ? r.issues.filter((i) => i.severity !== 'error' && i.code !== FindingCodes.TarNoEndMarker)
        : r.issues;
    return {
      bytesRead,
      paths: r.paths,
      captured: r.captured,
      tablespaceHeads: r.tablespaceHeads,
      issues: [...gzipIssues, ...issues],
      complete: !stopped,
    };
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    local.abort();
  }
}
