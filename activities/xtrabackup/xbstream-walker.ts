/**
 * A push-based xbstream verifier: feed it the stream in pieces of any size, in order; it checks every chunk's
 * magic, type, lengths and CRC-32 (zlib's native one) without holding more than one chunk header in memory.
 */
import { crc32 } from 'node:zlib';
import { FindingCodes } from '../validation/findings';
import { type ContainerIssue, createIssueLog, type IssueLogState } from './container-issue';
import { createFileHeads, type FileDataSink, type FileHeadsState } from './file-heads';
import { ChunkType, type ChunkHeader, isSafeStreamPath, parseChunkHeader, sparseMapTotals } from './xbstream';

/** What a complete walk found. */
export interface XbstreamWalkResult {
  bytes: number;
  chunks: number;
  /** Every path seen, in first-seen order. */
  paths: string[];
  sparsePaths: string[];
  /** Bytes of the metadata files (`xtrabackup_info`…). */
  captured: Map<string, Buffer>;
  /** The first bytes of each tablespace, for its FSP flags. */
  tablespaceHeads: Map<string, Buffer>;
  issues: ContainerIssue[];
}

/** A streaming walker: `push` pieces in order, then `end` once. */
export interface XbstreamWalker {
  push(data: Buffer): void;
  end(): XbstreamWalkResult;
  /** Everything the walk holds between two pushes, JSON-able: give it back to continue at the next byte. */
  snapshot(): XbstreamWalkerState;
}

/** The state of a walk between two pushes (Buffers as base64). */
export interface XbstreamWalkerState {
  position: number;
  chunks: number;
  fatal: boolean;
  pending: string;
  current?: Omit<CurrentChunk, 'header'> & { header: Omit<ChunkHeader, 'sparseMap'> & { sparseMap?: string } };
  files: [string, FileState][];
  sparsePaths: string[];
  log: IssueLogState;
  heads: FileHeadsState;
}

interface CurrentChunk {
  header: ChunkHeader;
  remaining: number;
  crc: number;
  start: number;
  written: number;
}

interface FileState {
  nextOffset: number;
  closed: boolean;
}

/**
 * Creates a walker over one xbstream (split parts already concatenated in order). `sink`, when given, receives
 * the payload of every non-sparse, known chunk at its file offset.
 */
export function createXbstreamWalker(sink?: FileDataSink, restore?: XbstreamWalkerState): XbstreamWalker {
  const log = createIssueLog(restore?.log);
  const files = new Map<string, FileState>((restore?.files ?? []).map(([p, f]) => [p, { ...f }]));
  const heads = createFileHeads(restore?.heads);
  const sparsePaths = new Set<string>(restore?.sparsePaths);
  let pending: Buffer = Buffer.from(restore?.pending ?? '', 'base64');
  let position = restore?.position ?? 0; // stream offset of pending[0] / of the next byte
  let chunks = restore?.chunks ?? 0;
  let fatal = restore?.fatal ?? false;
  let current: CurrentChunk | undefined;
  if (restore?.current) {
    const { sparseMap, ...header } = restore.current.header;
    current = {
      ...restore.current,
      header: sparseMap === undefined ? header : { ...header, sparseMap: Buffer.from(sparseMap, 'base64') },
    };
  }

  const fail = (issue: ContainerIssue): void => {
    log.add(issue);
    fatal = true;
  };

  const startChunk = (header: ChunkHeader, at: number): void => {
    chunks += 1;
    const { path } = header;
    if (!isSafeStreamPath(path)) {
      log.add({
        code: FindingCodes.XbstreamBadPath,
        severity: 'error',
        path,
        offset: at,
        message: `unsafe path '${path}'`,
      });
    }
    let state = files.get(path);
    if (state?.closed) {
      log.add({
        code: FindingCodes.XbstreamDuplicateFile,
        severity: 'error',
        path,
        offset: at,
        message: `'${path}' appears again after its end chunk`,
      });
      state.closed = false;
    }
    if (!state) {
      state = { nextOffset: 0, closed: false };
      files.set(path, state);
    }
    if (header.type === ChunkType.End) {
      state.closed = true;
      return;
    }
    if (header.ignorable) {
      current = { header, remaining: header.payloadLength, crc: 0, start: at, written: 0 };
      return;
    }
    if (header.payloadOffset !== state.nextOffset) {
      log.add({
        code: FindingCodes.XbstreamOffsetGap,
        severity: 'warning',
        path,
        offset: at,
        message: `chunk of '${path}' starts at file offset ${header.payloadOffset}, expected ${state.nextOffset}`,
      });
    }
    let skip = 0;
    if (header.sparseMap) {
      sparsePaths.add(path);
      const totals = sparseMapTotals(header.sparseMap);
      skip = totals.skip;
      if (totals.len !== header.payloadLength) {
        log.add({
          code: FindingCodes.XbstreamCrcMismatch,
          severity: 'error',
          path,
          offset: at,
          message: `sparse map covers ${totals.len} bytes but the payload has ${header.payloadLength}`,
        });
      }
    }
    state.nextOffset = header.payloadOffset + skip + header.payloadLength;
    const crc = header.sparseMap ? crc32(header.sparseMap) : 0;
    current = { header, remaining: header.payloadLength, crc, start: at, written: 0 };
  };

  const payload = (piece: Buffer): void => {
    if (!current) return;
    const { header } = current;
    if (!header.ignorable) current.crc = crc32(piece, current.crc);
    heads.add(header.path, header.payloadOffset + current.written, piece);
    if (sink && !header.ignorable && !header.sparseMap)
      sink(header.path, header.payloadOffset + current.written, piece);
    current.written += piece.length;
    current.remaining -= piece.length;
    if (current.remaining === 0) {
      if (!header.ignorable && current.crc >>> 0 !== header.checksum) {
        log.add({
          code: FindingCodes.XbstreamCrcMismatch,
          severity: 'error',
          path: header.path,
          offset: current.start,
          message: `CRC-32 of the chunk at stream offset ${current.start} ('${header.path}', file offset ${header.payloadOffset}) is 0x${(current.crc >>> 0).toString(16)}, header says 0x${header.checksum.toString(16)}`,
        });
      }
      current = undefined;
    }
  };

  const push = (data: Buffer): void => {
    if (fatal || data.length === 0) return;
    let buf = pending.length > 0 ? Buffer.concat([pending, data]) : data;
    pending = Buffer.alloc(0);
    let at = 0;
    while (at < buf.length && !fatal) {
      if (current) {
        const take = Math.min(current.remaining, buf.length - at);
        payload(buf.subarray(at, at + take));
        at += take;
        position += take;
        continue;
      }
      const parsed = parseChunkHeader(buf, at);
      if (parsed.status === 'incomplete') {
        pending = Buffer.from(buf.subarray(at));
        buf = pending;
        return;
      }
      if (parsed.status === 'invalid') {
        const code =
          parsed.reason === 'magic'
            ? FindingCodes.XbstreamBadMagic
            : parsed.reason === 'type'
              ? FindingCodes.XbstreamUnknownChunk
              : parsed.reason === 'path'
                ? FindingCodes.XbstreamBadPath
                : FindingCodes.XbstreamBadMagic;
        fail({ code, severity: 'error', offset: position, message: `at stream offset ${position}: ${parsed.message}` });
        return;
      }
      startChunk(parsed.header, position);
      at += parsed.header.headerLength;
      position += parsed.header.headerLength;
      const opened = current as CurrentChunk | undefined; // set by startChunk
      if (opened?.remaining === 0) payload(Buffer.alloc(0));
    }
  };

  const end = (): XbstreamWalkResult => {
    if (!fatal && (pending.length > 0 || current)) {
      const what = current ? `inside the payload of '${current.header.path}'` : 'inside a chunk header';
      log.add({
        code: FindingCodes.XbstreamTruncated,
        severity: 'error',
        path: current?.header.path,
        offset: position + pending.length,
        message: `the stream ends ${what} at byte ${position + pending.length}`,
      });
    }
    if (!fatal) {
      for (const [path, state] of files) {
        if (!state.closed) {
          log.add({
            code: FindingCodes.XbstreamFileNotClosed,
            severity: 'error',
            path,
            message: `'${path}' has no end chunk: the stream was cut or the backup did not finish`,
          });
        }
      }
    }
    for (const path of sparsePaths) {
      log.add({
        code: FindingCodes.XbstreamSparseChunk,
        severity: 'error',
        path,
        message: `'${path}' is streamed with sparse chunks: a page-compressed table (COMPRESSION='zlib'|'lz4')`,
      });
    }
    return {
      bytes: position + pending.length,
      chunks,
      paths: [...files.keys()],
      sparsePaths: [...sparsePaths],
      captured: heads.captured(),
      tablespaceHeads: heads.tablespaceHeads,
      issues: log.issues,
    };
  };

  const snapshot = (): XbstreamWalkerState => {
    const state: XbstreamWalkerState = {
      position,
      chunks,
      fatal,
      pending: pending.toString('base64'),
      files: [...files].map(([p, f]) => [p, { ...f }]),
      sparsePaths: [...sparsePaths],
      log: log.snapshot(),
      heads: heads.snapshot(),
    };
    if (current) {
      const { sparseMap, ...header } = current.header;
      state.current = {
        ...current,
        header: sparseMap === undefined ? header : { ...header, sparseMap: sparseMap.toString('base64') },
      };
    }
    return state;
  };

  return { push, end, snapshot };
}
