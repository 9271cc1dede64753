/** Pure checks of tablespaces' first-page FSP flags: compressed, encrypted, external, or non-16K tables. */
import type { ValidationFinding } from '../../workflows/types';
import { type FspFlags, parseFspFlags } from '../xtrabackup/fsp';
import { finding, type FindingCode, FindingCodes as C } from './findings';

/** One table format Aurora cannot restore: how to spot it in the flags, and what to say about it. */
interface TablespaceRule {
  code: FindingCode;
  matches(flags: FspFlags): boolean;
  /** Completes "N tablespace(s), e.g. path, …". */
  problem: string;
  fix: string;
}

const RULES: readonly TablespaceRule[] = [
  {
    code: C.CompressedTable,
    matches: (flags) => flags.zipSsize !== 0,
    problem: 'use ROW_FORMAT=COMPRESSED, which Aurora does not support',
    fix: 'ALTER TABLE … ROW_FORMAT=DYNAMIC on the source and take a new backup.',
  },
  {
    code: C.EncryptedTablespace,
    matches: (flags) => flags.encryption,
    problem: 'are encrypted (InnoDB TDE); Aurora cannot restore an encrypted source',
    fix: "ALTER TABLE … ENCRYPTION='N' on the source and take a new backup.",
  },
  {
    code: C.ExternalTablespace,
    matches: (flags) => flags.dataDir,
    problem: 'were created with DATA DIRECTORY outside the data directory',
    fix: 'Move them into the data directory and take a new backup.',
  },
  {
    code: C.PageSizeUnsupported,
    matches: (flags) => flags.pageSsize !== 0 && flags.pageSsize !== 5,
    problem: 'do not use 16 KiB pages',
    fix: 'Migrate logically; Aurora requires innodb_page_size=16384.',
  },
];

/** Checks each tablespace head (path → first bytes of page 0); `location` prefixes finding paths. */
export function checkTablespaceHeads(heads: Map<string, Buffer>, location: string): ValidationFinding[] {
  const hits = RULES.map(() => [] as string[]);
  for (const [path, head] of heads) {
    const flags = parseFspFlags(head);
    if (!flags) continue;
    RULES.forEach((rule, i) => {
      if (rule.matches(flags)) hits[i]!.push(path);
    });
  }
  return RULES.flatMap((rule, i) => {
    const paths = hits[i]!;
    if (paths.length === 0) return [];
    const problem = `${paths.length} tablespace(s), e.g. ${paths[0]}, ${rule.problem}`;
    return [finding(rule.code, 'error', problem, rule.fix, location + paths[0])];
  });
}
