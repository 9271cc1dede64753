/**
 * Reads a stream container (xbstream, tar, tar.gz) from S3 in order and runs the matching walker over it: the deep
 * check of every byte, and the bounded head-first read quick mode uses for `.tar.gz` (which cannot be read from
 * its tail).
 */
import type { BackupFormat } from '../../workflows/types';
import type { ContainerIssue } from '../xtrabackup/container-issue';
import type { FileDataSink } from '../xtrabackup/file-heads';
import { createPageVerifier, type PageCheckSummary } from '../xtrabackup/page-verifier';
import { createTarWalker } from '../xtrabackup/tar-walker';
import { createXbstreamWalker } from '../xtrabackup/xbstream-walker';
import type { StreamPosition } from './resume-point';
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
  /** The InnoDB page check, when asked for. */
  pages?: PageCheckSummary;
}

/** Options of a container walk. */
export interface WalkOptions extends SequentialReadOptions {
  onBytes?: (n: number) => void;
  /** Stop once `xtrabackup_info` has been read (tar formats), or after this many compressed bytes. */
  stopAtInfo?: boolean;
  maxBytes?: number;
  /** Receives every file's bytes as they stream past (see FileDataSink). */
  onFileData?: FileDataSink;
  /** Verify every InnoDB page of every tablespace (deep mode). */
  checkPages?: boolean;
  /** Continue an xbstream walk from a position an earlier attempt took. */
  resume?: StreamPosition;
  /**
   * Receives a function that takes the walk's position; call it from `onBytes` (the only moment the walker and
   * the offset agree). It returns undefined for tar formats, whose walk (and gzip's state) is not resumable.
   */
  onStart?: (position: () => StreamPosition | undefined) => void;
}

/** Walks the whole container (or until `stopAtInfo`/`maxBytes`), verifying what its format allows. */
export async function walkContainer(
  src: StreamSource,
  format: BackupFormat,
  options: WalkOptions,
): Promise<ContainerWalk> {
  const resume = format === 'xbstream' ? options.resume : undefined;
  const verifier = options.checkPages ? createPageVerifier({ restore: resume?.pages }) : undefined;
  const sink: FileDataSink | undefined =
    verifier === undefined
      ? options.onFileData
      : (path, fileOffset, data) => {
          verifier.add(path, fileOffset, data);
          options.onFileData?.(path, fileOffset, data);
        };
  const local = new AbortController();
  const onAbort = (): void => local.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  let bytesRead = 0;
  let stopped = false;
  const from = resume?.offset ?? 0;
  const source = async function* (): AsyncGenerator<Buffer> {
    for await (const buf of readStreamSequentially(src, { ...options, from, signal: local.signal })) {
      bytesRead += buf.length;
      yield buf;
      // After the consumer has pushed `buf`: a position taken now matches the walker's state.
      options.onBytes?.(buf.length);
      if (options.maxBytes !== undefined && bytesRead >= options.maxBytes) {
        stopped = true;
        return;
      }
    }
  };
  try {
    if (format === 'xbstream') {
      const walker = createXbstreamWalker(sink, resume?.walker);
      options.onStart?.(() => ({
        offset: from + bytesRead,
        walker: walker.snapshot(),
        pages: verifier?.snapshot() ?? createPageVerifier().snapshot(),
      }));
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
        ...(verifier ? { pages: verifier.end() } : {}),
      };
    }
    options.onStart?.(() => undefined);
    const tar = createTarWalker(sink);
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
      ...(verifier ? { pages: verifier.end() } : {}),
    };
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    local.abort();
  }
}
