/** A defect a container walker (xbstream, tar) found, before the validator turns it into a finding. */
import type { FindingSeverity } from '../../workflows/types';
import type { FindingCode } from '../validation/findings';

/** One container defect; `offset` is the byte position in the (concatenated) stream. */
export interface ContainerIssue {
  code: FindingCode;
  severity: FindingSeverity;
  message: string;
  path?: string;
  offset?: number;
}

/** Root-level files whose bytes the walkers keep for metadata parsing. */
export const CAPTURED_METADATA_FILES: ReadonlySet<string> = new Set([
  'xtrabackup_checkpoints',
  'xtrabackup_info',
  'backup-my.cnf',
  'xtrabackup_binlog_info',
  'xtrabackup_tablespaces',
  'mariadb_backup_checkpoints',
  'mariadb_backup_info',
]);

/** Keeps at most this many bytes of a captured metadata file. */
export const MAX_CAPTURE_BYTES = 1 << 20;
/** Bytes of a tablespace's first page kept to read its FSP flags (flags end at byte 58). */
export const TABLESPACE_HEAD_BYTES = 64;
/** Stops recording issues of one code after this many (the count is still reported). */
export const MAX_ISSUES_PER_CODE = 20;

/** True for files whose first page tells the table format (`*.ibd`, `ibdata1`). */
export function isTablespacePath(path: string): boolean {
  return path.endsWith('.ibd') || path === 'ibdata1';
}

/** An issue log's state, JSON-able, for resuming a walk. */
export interface IssueLogState {
  issues: ContainerIssue[];
  counts: [string, number][];
}

/** Collects issues, bounded per code so a damaged stream cannot grow memory. */
export function createIssueLog(restore?: IssueLogState): {
  add(issue: ContainerIssue): void;
  issues: ContainerIssue[];
  snapshot(): IssueLogState;
} {
  const counts = new Map<string, number>(restore?.counts ?? []);
  const issues: ContainerIssue[] = [...(restore?.issues ?? [])];
  return {
    issues,
    add(issue) {
      const n = (counts.get(issue.code) ?? 0) + 1;
      counts.set(issue.code, n);
      if (n <= MAX_ISSUES_PER_CODE) issues.push(issue);
    },
    snapshot: () => ({ issues: issues.map((i) => ({ ...i })), counts: [...counts] }),
  };
}
