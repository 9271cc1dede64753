/** Pure checks of tablespaces' first-page FSP flags: compressed, encrypted, external, or non-16K tables. */
import type { ValidationFinding } from '../../workflows/types';
import { parseFspFlags } from '../xtrabackup/fsp';
import { finding, FindingCodes as C } from './findings';

/** Checks each tablespace head (path → first bytes of page 0); `location` prefixes finding paths. */
export function checkTablespaceHeads(heads: Map<string, Buffer>, location: string): ValidationFinding[] {
  const hits = { zip: [] as string[], enc: [] as string[], dir: [] as string[], page: [] as string[] };
  for (const [path, head] of heads) {
    const flags = parseFspFlags(head);
    if (!flags) continue;
    if (flags.zipSsize !== 0) hits.zip.push(path);
    if (flags.encryption) hits.enc.push(path);
    if (flags.dataDir) hits.dir.push(path);
    if (flags.pageSsize !== 0 && flags.pageSsize !== 5) hits.page.push(path);
  }
  const out: ValidationFinding[] = [];
  const ex = (list: string[]): string => `${list.length} tablespace(s), e.g. ${list[0]}`;
  if (hits.zip.length > 0) {
    out.push(
      finding(
        C.CompressedTable,
        'error',
        `${ex(hits.zip)}, use ROW_FORMAT=COMPRESSED, which Aurora does not support`,
        'ALTER TABLE … ROW_FORMAT=DYNAMIC on the source and take a new backup.',
        location + (hits.zip[0] ?? ''),
      ),
    );
  }
  if (hits.enc.length > 0) {
    out.push(
      finding(
        C.EncryptedTablespace,
        'error',
        `${ex(hits.enc)}, are encrypted (InnoDB TDE); Aurora cannot restore an encrypted source`,
        "ALTER TABLE … ENCRYPTION='N' on the source and take a new backup.",
        location + (hits.enc[0] ?? ''),
      ),
    );
  }
  if (hits.dir.length > 0) {
    out.push(
      finding(
        C.ExternalTablespace,
        'error',
        `${ex(hits.dir)}, were created with DATA DIRECTORY outside the data directory`,
        'Move them into the data directory and take a new backup.',
        location + (hits.dir[0] ?? ''),
      ),
    );
  }
  if (hits.page.length > 0) {
    out.push(
      finding(
        C.PageSizeUnsupported,
        'error',
        `${ex(hits.page)}, do not use 16 KiB pages`,
        'Migrate logically; Aurora requires innodb_page_size=16384.',
        location + (hits.page[0] ?? ''),
      ),
    );
  }
  return out;
}
