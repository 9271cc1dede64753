/**
 * A push-based tar verifier: header checksums, sizes, end-of-archive blocks, with XtraBackup 2.4's habit of
 * zero blocks mid-archive tolerated (extract with `tar -i`, format §3.4). Keeps only small metadata files.
 */
import { FindingCodes } from '../validation/findings';
import { type ContainerIssue, createIssueLog } from './container-issue';
import { createFileHeads, type FileDataSink } from './file-heads';
import { isRegularFile, paddedSize, parseTarHeader, paxPath, TAR_BLOCK } from './tar';

/** What a tar walk found. */
export interface TarWalkResult {
  bytes: number;
  paths: string[];
  captured: Map<string, Buffer>;
  tablespaceHeads: Map<string, Buffer>;
  sawEndMarker: boolean;
  issues: ContainerIssue[];
}

/** A streaming tar walker: `push` pieces in order, `end` once; `hasInfo` tells when `xtrabackup_info` is in. */
export interface TarWalker {
  push(data: Buffer): void;
  hasInfo(): boolean;
  end(): TarWalkResult;
}

const MAX_EXTENDED_HEADER = 1 << 16;

/**
 * Creates a walker over one tar stream (already gunzipped, split parts concatenated). `sink`, when given,
 * receives the bytes of every regular file.
 */
export function createTarWalker(sink?: FileDataSink): TarWalker {
  const log = createIssueLog();
  const paths: string[] = [];
  const heads = createFileHeads();
  let pending: Buffer = Buffer.alloc(0);
  let position = 0;
  let fatal = false;
  let sawEndMarker = false;
  let infoDone = false;
  let nextName: string | undefined;
  let entry:
    | { name: string; type: string; size: number; remaining: number; written: number; start: number; ext: Buffer[] }
    | undefined;

  const onData = (piece: Buffer): void => {
    if (!entry) return;
    const { name, type } = entry;
    const dataBytes = Math.max(0, Math.min(piece.length, entry.size - entry.written));
    const data = piece.subarray(0, dataBytes);
    if ((type === 'x' || type === 'L') && entry.written < MAX_EXTENDED_HEADER) entry.ext.push(Buffer.from(data));
    if (isRegularFile(type)) {
      heads.add(name, entry.written, data);
      sink?.(name, entry.written, data);
    }
    entry.written += dataBytes;
    entry.remaining -= piece.length;
    if (entry.remaining === 0) finishEntry();
  };

  const finishEntry = (): void => {
    if (!entry) return;
    if (entry.type === 'x') nextName = paxPath(Buffer.concat(entry.ext)) ?? nextName;
    if (entry.type === 'L') nextName = Buffer.concat(entry.ext).toString('utf8').replace(/\0.*$/s, '');
    if (entry.name === 'xtrabackup_info' && isRegularFile(entry.type)) infoDone = true;
    entry = undefined;
  };

  const push = (data: Buffer): void => {
    if (fatal || data.length === 0) return;
    const buf = pending.length > 0 ? Buffer.concat([pending, data]) : data;
    pending = Buffer.alloc(0);
    let at = 0;
    while (at < buf.length && !fatal) {
      if (entry) {
        const take = Math.min(entry.remaining, buf.length - at);
        onData(buf.subarray(at, at + take));
        at += take;
        position += take;
        continue;
      }
      if (buf.length - at < TAR_BLOCK) {
        pending = Buffer.from(buf.subarray(at));
        return;
      }
      const header = parseTarHeader(buf.subarray(at, at + TAR_BLOCK));
      if (header === 'zero') {
        sawEndMarker = true;
      } else if (!header.checksumOk) {
        log.add({
          code: FindingCodes.TarBadChecksum,
          severity: 'error',
          offset: position,
          message: `tar header at byte ${position} has a wrong checksum: the archive is corrupt or not a tar`,
        });
        fatal = true;
        return;
      } else {
        sawEndMarker = false;
        const name =
          header.type === 'x' || header.type === 'L' || header.type === 'g' ? header.name : (nextName ?? header.name);
        if (header.type !== 'x' && header.type !== 'L' && header.type !== 'g') {
          nextName = undefined;
          if (header.type !== '5') paths.push(name);
        }
        const padded = paddedSize(header.size);
        entry = { name, type: header.type, size: header.size, remaining: padded, written: 0, start: position, ext: [] };
        if (padded === 0) finishEntry();
      }
      at += TAR_BLOCK;
      position += TAR_BLOCK;
    }
  };

  const end = (): TarWalkResult => {
    if (!fatal && (entry || pending.length > 0)) {
      log.add({
        code: FindingCodes.TarTruncated,
        severity: 'error',
        path: entry?.name,
        offset: position + pending.length,
        message: `the tar stream ends at byte ${position + pending.length}, inside ${entry ? `'${entry.name}'` : 'a header block'}`,
      });
    } else if (!fatal && !sawEndMarker) {
      log.add({
        code: FindingCodes.TarNoEndMarker,
        severity: 'warning',
        offset: position,
        message: 'the tar stream has no end-of-archive blocks: it may have been cut at an entry boundary',
      });
    }
    return {
      bytes: position + pending.length,
      paths,
      captured: heads.captured(),
      tablespaceHeads: heads.tablespaceHeads,
      sawEndMarker,
      issues: log.issues,
    };
  };

  return { push, end, hasInfo: () => infoDone };
}

/**
 * Finds metadata in the tail of a tar stream: `tail` ends where the stream ends and starts `misalign` bytes
 * before a 512-byte boundary of the archive. Accepts the first header from which the walk reaches the end.
 */
export function walkTarTail(
  tail: Buffer,
  misalign: number,
): { captured: Map<string, Buffer>; paths: string[] } | undefined {
  for (let start = misalign; start + TAR_BLOCK <= tail.length; start += TAR_BLOCK) {
    const header = parseTarHeader(tail.subarray(start, start + TAR_BLOCK));
    if (header === 'zero' || !header.checksumOk) continue;
    const walker = createTarWalker();
    walker.push(tail.subarray(start));
    const result = walker.end();
    if (result.issues.every((i) => i.severity !== 'error')) return { captured: result.captured, paths: result.paths };
  }
  return undefined;
}
