/**
 * Checks every InnoDB page of every tablespace file as a backup's bytes stream past (a FileDataSink, so the same
 * verifier serves the directory layout and every container). Pages are cut out of the pieces per file (files may
 * interleave, as in a parallel xbstream), the page size comes from page 0's FSP flags, and each page goes
 * through `verifyPage`. ROW_FORMAT=COMPRESSED and encrypted tablespaces are skipped with the reason (their pages
 * are zip pages or ciphertext; the FSP-flag checks report them). Memory is one partial page per open file.
 *
 * Files checked: `*.ibd`, `ibdata<N>`, undo tablespaces (`undo_001`, `undo001`, `*.ibu`). Not checked:
 * `xtrabackup_logfile`/`ib_logfile*` (redo: 512-byte log blocks, not pages; the copy of the redo tail is applied
 * by prepare, and the stream's CRC covers it in transit), `*.delta` (incremental page deltas with their own
 * header pages), and files with a compression/encryption suffix (`.qp`, `.zst`, `.lz4`, `.xbcrypt`).
 */
import { parseFspFlags } from './fsp';
import { type PageAlgorithm, pageSizeFromSsize, storedPageNumber, verifyPage } from './innodb-page';

/** What is wrong with one page. */
export type PageDefect = 'checksum' | 'lsn' | 'page-number' | 'truncated';

/** One defective page. */
export interface PageIssue {
  path: string;
  page: number;
  defect: PageDefect;
  what: string;
}

/** What the verifier saw. */
export interface PageCheckSummary {
  filesChecked: number;
  pagesChecked: number;
  pagesEmpty: number;
  /** Pages skipped for their type (page compression, encryption). */
  pagesOpaque: number;
  algorithms: Record<PageAlgorithm, number>;
  /** Files not checked, with the reason (first MAX_RECORDED). */
  skipped: { path: string; reason: string }[];
  skippedCount: number;
  /** Defective pages (first MAX_RECORDED) and their total count. */
  issues: PageIssue[];
  issueCount: number;
}

/** Per-file state; JSON-able (pending as base64) so a resumed check continues mid-file. */
interface FileState {
  pageSize?: number;
  skip?: string;
  /** Next file offset expected. */
  next: number;
  pending: Buffer;
  checkNumbers: boolean;
}

/** The verifier's whole state, for heartbeats. */
export interface PageVerifierState {
  summary: PageCheckSummary;
  files: [string, { pageSize?: number; skip?: string; next: number; pending: string; checkNumbers: boolean }][];
  systemPageSize?: number;
}

/** A streaming page verifier. */
export interface PageVerifier {
  /** The FileDataSink: pieces of one file arrive in order. */
  add(path: string, fileOffset: number, data: Buffer): void;
  /** Forgets a file that is complete (reports a trailing partial page). */
  endFile(path: string): void;
  /** Ends every file and returns the summary. */
  end(): PageCheckSummary;
  snapshot(): PageVerifierState;
}

/** Issues and skipped files recorded in full; the rest are counted. */
export const MAX_RECORDED = 20;

/** True for files holding InnoDB pages that the verifier checks. */
export function isPagedTablespace(path: string): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return name.endsWith('.ibd') || name.endsWith('.ibu') || /^ibdata\d+$/.test(name) || /^undo_?\d+$/.test(name);
}

function emptySummary(): PageCheckSummary {
  return {
    filesChecked: 0,
    pagesChecked: 0,
    pagesEmpty: 0,
    pagesOpaque: 0,
    algorithms: { crc32: 0, 'crc32-legacy-big-endian': 0, innodb: 0, none: 0 },
    skipped: [],
    skippedCount: 0,
    issues: [],
    issueCount: 0,
  };
}

/** Creates a verifier; `pageSize` (backup-my.cnf) applies to ibdata2… when ibdata1 was not seen first. */
export function createPageVerifier(options: { pageSize?: number; restore?: PageVerifierState } = {}): PageVerifier {
  const summary = options.restore?.summary ?? emptySummary();
  let systemPageSize = options.restore?.systemPageSize;
  const files = new Map<string, FileState>(
    (options.restore?.files ?? []).map(([path, s]) => [path, { ...s, pending: Buffer.from(s.pending, 'base64') }]),
  );

  const issue = (i: PageIssue): void => {
    summary.issueCount += 1;
    if (summary.issues.length < MAX_RECORDED) summary.issues.push(i);
  };
  const skip = (path: string, state: FileState, reason: string): void => {
    state.skip = reason;
    state.pending = Buffer.alloc(0);
    summary.skippedCount += 1;
    if (summary.skipped.length < MAX_RECORDED) summary.skipped.push({ path, reason });
  };

  /** Decides the page size from page 0's first bytes; false when the file is skipped. */
  const classify = (path: string, state: FileState, head: Buffer): boolean => {
    const name = path.slice(path.lastIndexOf('/') + 1);
    if (/^ibdata([2-9]|\d\d+)$/.test(name)) {
      // Later files of the system tablespace start with an ordinary page, not an FSP header.
      state.pageSize = systemPageSize ?? options.pageSize ?? 16384;
      return true;
    }
    const flags = parseFspFlags(head);
    if (!flags) return false;
    if (flags.zipSsize > 5) {
      // MySQL's ZIP_SSIZE stops at 5 (16 KiB); MariaDB 10.5+ marks its full_crc32 format in bit 4 instead.
      skip(
        path,
        state,
        "its FSP flags are not MySQL's (MariaDB's full_crc32 format): MariaDB checksums its pages another way",
      );
      return false;
    }
    if (flags.zipSsize !== 0) {
      skip(path, state, 'ROW_FORMAT=COMPRESSED: its pages are zip pages with their own checksum');
      return false;
    }
    if (flags.encryption) {
      skip(path, state, 'encrypted (InnoDB TDE): its pages are ciphertext without the keyring');
      return false;
    }
    const size = pageSizeFromSsize(flags.pageSsize);
    if (size === undefined) {
      issue({
        path,
        page: 0,
        defect: 'checksum',
        what: `its FSP flags (PAGE_SSIZE ${flags.pageSsize}) name no page size`,
      });
      skip(path, state, 'page 0 is unreadable, so the page size is unknown');
      return false;
    }
    state.pageSize = size;
    if (name === 'ibdata1') systemPageSize = size;
    return true;
  };

  const checkPage = (path: string, state: FileState, buf: Buffer, at: number, pageNo: number): void => {
    const size = state.pageSize!;
    const verdict = verifyPage(buf, at, size);
    if (verdict.kind === 'empty') {
      summary.pagesEmpty += 1;
      return;
    }
    if (verdict.kind === 'opaque') {
      summary.pagesOpaque += 1;
      return;
    }
    summary.pagesChecked += 1;
    if (verdict.kind === 'corrupt') {
      issue({
        path,
        page: pageNo,
        defect: verdict.what.startsWith('the LSN') ? 'lsn' : 'checksum',
        what: verdict.what,
      });
      return;
    }
    summary.algorithms[verdict.algorithm] += 1;
    const stored = storedPageNumber(buf, at);
    if (state.checkNumbers && stored !== pageNo) {
      issue({ path, page: pageNo, defect: 'page-number', what: `it holds page number ${stored}: a misplaced page` });
    }
  };

  const add = (path: string, fileOffset: number, data: Buffer): void => {
    if (data.length === 0 || !isPagedTablespace(path)) return;
    let state = files.get(path);
    if (!state) {
      // ibdata1's doublewrite buffer holds copies of other pages, so page numbers are checked elsewhere only.
      state = { next: 0, pending: Buffer.alloc(0), checkNumbers: !/(^|\/)ibdata\d+$/.test(path) };
      files.set(path, state);
      summary.filesChecked += 1;
    }
    if (state.skip !== undefined) return;
    if (fileOffset !== state.next) {
      const aligned = state.pageSize !== undefined && fileOffset % state.pageSize === 0 && state.pending.length === 0;
      if (!aligned || fileOffset < state.next) {
        skip(path, state, `its bytes do not arrive in order (offset ${fileOffset}, expected ${state.next})`);
        return;
      }
    }
    state.next = fileOffset + data.length;
    let buf = data;
    let base = fileOffset; // file offset of buf[0]
    if (state.pending.length > 0) {
      buf = Buffer.concat([state.pending, data]);
      base -= state.pending.length;
      state.pending = Buffer.alloc(0);
    }
    if (state.pageSize === undefined) {
      if (buf.length < 64) {
        state.pending = Buffer.from(buf);
        return;
      }
      if (!classify(path, state, buf)) return;
    }
    const size = state.pageSize!;
    let at = 0;
    for (; at + size <= buf.length; at += size) checkPage(path, state, buf, at, (base + at) / size);
    if (at < buf.length) state.pending = Buffer.from(buf.subarray(at));
  };

  const endFile = (path: string): void => {
    const state = files.get(path);
    if (!state) return;
    if (state.skip === undefined && state.pending.length > 0) {
      const page = Math.floor(state.next / (state.pageSize ?? 16384));
      issue({
        path,
        page,
        defect: 'truncated',
        what: `the file ends ${state.pending.length} bytes into the page: the tablespace is truncated`,
      });
    }
    files.delete(path);
  };

  return {
    add,
    endFile,
    end() {
      for (const path of [...files.keys()]) endFile(path);
      return summary;
    },
    snapshot: () => ({
      summary: structuredClone(summary),
      systemPageSize,
      files: [...files].map(([path, s]) => [
        path,
        {
          pageSize: s.pageSize,
          skip: s.skip,
          next: s.next,
          pending: s.pending.toString('base64'),
          checkNumbers: s.checkNumbers,
        },
      ]),
    }),
  };
}
