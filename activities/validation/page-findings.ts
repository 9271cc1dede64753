/**
 * Turns the page verifier's summary into findings: one error per defective page (file, page number, what did
 * not match, the fix), the files not checked and why, and an info line with the counts. `backup-my.cnf`'s
 * `innodb_checksum_algorithm` says what the server wrote: under strict_* settings pages of another algorithm are
 * a warning (the server logs one per page), under `none` the server itself never verifies a page.
 */
import type { ValidationFinding } from '../../workflows/types';
import type { PageCheckSummary, PageDefect } from '../xtrabackup/page-verifier';
import { finding, type FindingCode, FindingCodes as C } from './findings';

const TAKE_NEW_BACKUP =
  'The copy is damaged: take a new backup (XtraBackup re-reads pages it finds torn) and upload it again; run CHECK TABLE on the source if the new backup shows the same page.';

const CODE: Record<PageDefect, FindingCode> = {
  checksum: C.InnodbPageCorrupt,
  lsn: C.InnodbPageLsnMismatch,
  'page-number': C.InnodbPageMisplaced,
  truncated: C.InnodbTablespaceTruncated,
};

/** Findings of one backup's page check; `location` prefixes paths, `cnf` is its parsed backup-my.cnf. */
export function pageFindings(
  summary: PageCheckSummary,
  location: string,
  cnf: Map<string, string> | undefined,
): ValidationFinding[] {
  const out: ValidationFinding[] = summary.issues.map((i) =>
    finding(CODE[i.defect], 'error', `${i.path} page ${i.page}: ${i.what}`, TAKE_NEW_BACKUP, location + i.path),
  );
  const unlisted = summary.issueCount - summary.issues.length;
  if (unlisted > 0) {
    out.push(
      finding(
        C.InnodbPageCorrupt,
        'error',
        `${unlisted} more defective page(s) beyond the ${summary.issues.length} listed`,
        TAKE_NEW_BACKUP,
        location,
      ),
    );
  }
  for (const s of summary.skipped) {
    out.push(
      finding(
        C.InnodbPageCheckSkipped,
        'info',
        `${s.path}: pages not checked: ${s.reason}`,
        'Nothing to do here; other findings say whether Aurora can restore it.',
        location + s.path,
      ),
    );
  }
  const algorithm = (cnf?.get('innodb_checksum_algorithm') ?? 'crc32').toLowerCase();
  const a = summary.algorithms;
  const other =
    algorithm === 'strict_crc32'
      ? a.innodb + a.none
      : algorithm === 'strict_innodb'
        ? a.crc32 + a['crc32-legacy-big-endian'] + a.none
        : algorithm === 'strict_none'
          ? a.crc32 + a['crc32-legacy-big-endian'] + a.innodb
          : 0;
  if (other > 0) {
    out.push(
      finding(
        C.InnodbChecksumAlgorithmMixed,
        'warning',
        `innodb_checksum_algorithm=${algorithm}, but ${other} page(s) carry another algorithm's checksum; the server accepts them with a warning per page`,
        'Nothing blocks the restore; set innodb_checksum_algorithm to crc32 (non-strict) on the source to silence it.',
        location,
      ),
    );
  }
  const counts = Object.entries(a)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${k}`)
    .join(', ');
  const none =
    algorithm === 'none' ? '; note innodb_checksum_algorithm=none: the server itself does not verify checksums' : '';
  out.push(
    finding(
      C.InnodbPagesChecked,
      'info',
      `${summary.pagesChecked} InnoDB page(s) verified in ${summary.filesChecked} tablespace file(s) (${counts || 'no checksummed page'}), ${summary.pagesEmpty} empty, ${summary.pagesOpaque} page-compressed/encrypted not checked${none}`,
      'Nothing to do.',
      location,
    ),
  );
  return out;
}
