/**
 * Why mysqld refused a restored volume, in mysqld's own words plus the likely fix: the text of the cluster's
 * `migration-failed` event (RDS-EVENT-0076 carries a reason) and of the emulator's log line.
 */
import { readFileSync } from 'node:fs';

/** mysqld's first error line of this start, and the fix most likely to help. */
export interface StartupFailure {
  /** The error line as mysqld wrote it, without its timestamp prefix. */
  line: string;
  fix: string;
}

/** Known refusals: a pattern of mysqld's message and what to do about it. */
const HINTS: { pattern: RegExp; fix: string }[] = [
  {
    pattern: /page size|innodb_page_size/i,
    fix: "backup-my.cnf's innodb_page_size must be the page size of the data files (take it from the source)",
  },
  {
    pattern:
      /upgrade after a crash|redo log was created with|format of the redo log|log sequence number .* in the future/i,
    fix: 'restore a backup prepared with xtrabackup --prepare (or copied after a clean shutdown) of the same major version',
  },
  {
    pattern: /checksum|corrupt|Database page corruption|is of a different size/i,
    fix: 'the data files are damaged: take a new backup and run deep validation before restoring it',
  },
  {
    pattern: /privilege tables|not found \(Errcode: 2|No such file or directory/i,
    fix: 'the backup lacks files of the server (e.g. the mysql schema): copy the whole data directory, empty files included',
  },
  {
    pattern: /data dictionary|mysql\.ibd|DD storage engine|Table 'mysql\./i,
    fix: "the system schema does not match the server's version: restore into the Aurora version of the source's major version",
  },
];

const GENERIC_FIX =
  'check that the backup is a prepared full backup of the source major version and that backup-my.cnf matches its files';

/** Reads the error log from `fromByte` (this start's lines) and explains the first `[ERROR]` line. */
export function explainStartupFailure(errorLog: string, fromByte = 0, fallback = 'mysqld exited'): StartupFailure {
  let text = '';
  try {
    text = readFileSync(errorLog).subarray(fromByte).toString('utf8');
  } catch {
    // no log: the fallback (the exit code) is all there is
  }
  const errors = text.split('\n').filter((l) => /\[ERROR\]/.test(l));
  // The last lines are mysqld's generic "Aborting"/"Failed to initialize" summaries; the first names the cause.
  const chosen =
    errors.find(
      (l) =>
        !/Aborting|Failed to initialize (DD )?(plugins|Storage Engine)|Plugin .* init function returned error|Init failed/i.test(
          l,
        ),
    ) ?? errors[0];
  const line = chosen ? stripPrefix(chosen) : fallback;
  const fix = HINTS.find((h) => h.pattern.test(line))?.fix ?? GENERIC_FIX;
  return { line, fix };
}

/** Drops `2026-12-04T17:48:23.301691Z 0 ` (5.7) or `… 1 [ERROR] [MY-012345] [InnoDB]` stays readable. */
function stripPrefix(line: string): string {
  return line.replace(/^\S+Z\s+\d+\s+/, '').trim();
}
