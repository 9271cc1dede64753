/**
 * The source binlog position a restored server's data stands at, as InnoDB itself records it: every commit of a
 * server with the binary log on writes the binlog file and offset into the transaction system header (page 5 of
 * the system tablespace, at FIL_PAGE_DATA + page size - 1000: magic 873422344, offset high, offset low, file
 * name), and crash recovery prints it ("Last MySQL binlog file position 0 154, file name ./mysql-bin.000003").
 *
 * A copy taken after a clean shutdown (our real-data backups) or prepared by XtraBackup needs no recovery, and
 * neither 5.7.22 nor 8.0.15 prints the line then (checked on both); the header on the volume is the same fact,
 * so it is read from the volume just before the first start, before the server's own commits overwrite it with
 * its own binlog. Never from xtrabackup_binlog_info, which is what the backup tool claims, not what InnoDB holds.
 */
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { BinlogCoordinates } from '../../workflows/types';

/** TRX_SYS_MYSQL_LOG_MAGIC_N. */
const MAGIC = 873422344;
/** TRX_SYS_PAGE_NO. */
const TRX_SYS_PAGE = 5;
/** FIL_PAGE_DATA: where TRX_SYS starts in its page. */
const FIL_PAGE_DATA = 38;
/** TRX_SYS_MYSQL_LOG_NAME_LEN. */
const NAME_LENGTH = 512;

/** The flags a volume starts with (`--innodb-page-size=…`, `--innodb-data-file-path=…`). */
export type InnodbArgs = readonly string[];

/**
 * The binlog position recorded in the volume's system tablespace, or undefined when none is (binary log off on
 * the source, or an unreadable file).
 */
export function positionInSystemTablespace(volumeDir: string, innodbArgs: InnodbArgs): BinlogCoordinates | undefined {
  const pageSize = parseSize(flag(innodbArgs, 'innodb-page-size') ?? '16384');
  const firstFile = (flag(innodbArgs, 'innodb-data-file-path') ?? 'ibdata1:12M:autoextend').split(':')[0] ?? '';
  if (!pageSize || !firstFile) return undefined;
  const page = Buffer.alloc(pageSize);
  let fd: number | undefined;
  try {
    fd = openSync(join(volumeDir, firstFile), 'r');
    if (readSync(fd, page, 0, pageSize, TRX_SYS_PAGE * pageSize) < pageSize) return undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  const at = FIL_PAGE_DATA + pageSize - 1000;
  if (page.readUInt32BE(at) !== MAGIC) return undefined;
  const position = page.readUInt32BE(at + 4) * 2 ** 32 + page.readUInt32BE(at + 8);
  const raw = page.subarray(at + 12, at + 12 + NAME_LENGTH);
  const end = raw.indexOf(0);
  const name = raw.subarray(0, end < 0 ? raw.length : end).toString('utf8');
  return name ? { file: basename(name), position } : undefined;
}

/** The position crash recovery printed in this start's error log (the last such line), or undefined. */
export function positionInErrorLog(errorLog: string, fromByte = 0): BinlogCoordinates | undefined {
  let text: string;
  try {
    text = readFileSync(errorLog).subarray(fromByte).toString('utf8');
  } catch {
    return undefined;
  }
  const matches = [...text.matchAll(/Last MySQL binlog file position (\d+) (\d+), file name (\S+)/g)];
  const last = matches[matches.length - 1];
  if (!last?.[3]) return undefined;
  return { file: basename(last[3]), position: Number(last[1]) * 2 ** 32 + Number(last[2]) };
}

function flag(args: InnodbArgs, name: string): string | undefined {
  const prefix = `--${name}=`;
  return args.find((a) => a.startsWith(prefix))?.slice(prefix.length);
}

/** `16384`, `16K`, `16k` → bytes; 0 when unreadable. */
function parseSize(text: string): number {
  const m = /^(\d+)([kKmM]?)$/.exec(text.trim());
  if (!m) return 0;
  const unit = m[2]?.toLowerCase() === 'k' ? 1024 : m[2]?.toLowerCase() === 'm' ? 1024 * 1024 : 1;
  return Number(m[1]) * unit;
}
