/**
 * Verifies one uncompressed InnoDB page the way the server does when it reads it (`buf_page_is_corrupted`): the
 * LSN's low 32 bits in the FIL header and the trailer must agree, then the stored checksums must match one of the
 * algorithms a server may have written the page with. As the server does, every algorithm is accepted whatever
 * `innodb_checksum_algorithm` says (the strict_* settings only warn), because pages keep the algorithm they were
 * last written with. One deliberate difference: the server also accepts a header field of 0 under the `innodb`
 * algorithm (written by InnoDB before 4.0.14); no 5.7/8.0 page has it, and accepting it would let any damaged
 * page whose checksum fields are zero pass, so it is treated as a mismatch here.
 */
import {
  BUF_NO_CHECKSUM_MAGIC,
  FIL_PAGE_DATA,
  FIL_PAGE_FILE_FLUSH_LSN,
  FIL_PAGE_LSN,
  FIL_PAGE_OFFSET,
  FIL_PAGE_SPACE_OR_CHKSUM,
  FIL_PAGE_TRAILER,
  FIL_PAGE_TYPE,
  pageCrc32,
  pageInnodbNew,
  pageInnodbOld,
} from './innodb-checksum';

/** The algorithm a valid page's checksum matched. */
export type PageAlgorithm = 'crc32' | 'crc32-legacy-big-endian' | 'innodb' | 'none';

/** Page types whose body is not a plain page (transparent page compression, keyring encryption). */
export const OPAQUE_PAGE_TYPES: ReadonlyMap<number, string> = new Map([
  [14, 'page-compressed (COMPRESSION=zlib|lz4)'],
  [15, 'encrypted'],
  [16, 'page-compressed and encrypted'],
  [17, 'encrypted R-tree'],
]);

/** The outcome of one page. */
export type PageVerdict =
  | { kind: 'valid'; algorithm: PageAlgorithm }
  | { kind: 'empty' }
  | { kind: 'opaque'; reason: string }
  | { kind: 'corrupt'; what: string };

const ZERO = Buffer.alloc(65536);

function hex(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}

/** True when the page holds only zero bytes, FIL_PAGE_FILE_FLUSH_LSN and the space id aside (as InnoDB allows). */
function isEmptyPage(buf: Buffer, at: number, pageSize: number): boolean {
  return (
    buf.compare(ZERO, 0, FIL_PAGE_FILE_FLUSH_LSN, at, at + FIL_PAGE_FILE_FLUSH_LSN) === 0 &&
    buf.compare(ZERO, 0, pageSize - FIL_PAGE_DATA, at + FIL_PAGE_DATA, at + pageSize) === 0
  );
}

/** Verifies the page at `buf[at, at + pageSize)` (pageSize ≤ 64 KiB). */
export function verifyPage(buf: Buffer, at: number, pageSize: number): PageVerdict {
  const field1 = buf.readUInt32BE(at + FIL_PAGE_SPACE_OR_CHKSUM);
  const field2 = buf.readUInt32BE(at + pageSize - FIL_PAGE_TRAILER);
  const lsnHigh = buf.readUInt32BE(at + FIL_PAGE_LSN);
  const lsnLow = buf.readUInt32BE(at + FIL_PAGE_LSN + 4);
  if (field1 === 0 && field2 === 0 && lsnHigh === 0 && lsnLow === 0 && isEmptyPage(buf, at, pageSize)) {
    return { kind: 'empty' };
  }
  const type = buf.readUInt16BE(at + FIL_PAGE_TYPE);
  const opaque = OPAQUE_PAGE_TYPES.get(type);
  if (opaque !== undefined) return { kind: 'opaque', reason: `page type ${type}: ${opaque}` };
  const trailerLsn = buf.readUInt32BE(at + pageSize - FIL_PAGE_TRAILER + 4);
  if (trailerLsn !== lsnLow) {
    return {
      kind: 'corrupt',
      what: `the LSN in the FIL header ends in ${hex(lsnLow)} but the trailer says ${hex(trailerLsn)} (a torn or partly overwritten page)`,
    };
  }
  if (field1 === field2) {
    if (field1 === pageCrc32(buf, at, pageSize)) return { kind: 'valid', algorithm: 'crc32' };
    if (field1 === BUF_NO_CHECKSUM_MAGIC) return { kind: 'valid', algorithm: 'none' };
  }
  if (field2 === lsnHigh || field2 === pageInnodbOld(buf, at)) {
    if (field1 === pageInnodbNew(buf, at, pageSize)) return { kind: 'valid', algorithm: 'innodb' };
  }
  if (field1 === field2 && field1 === pageCrc32(buf, at, pageSize, true)) {
    return { kind: 'valid', algorithm: 'crc32-legacy-big-endian' };
  }
  return {
    kind: 'corrupt',
    what: `the stored checksums (header ${hex(field1)}, trailer ${hex(field2)}) match no InnoDB algorithm: crc32 gives ${hex(pageCrc32(buf, at, pageSize))}, innodb ${hex(pageInnodbNew(buf, at, pageSize))}/${hex(pageInnodbOld(buf, at))}`,
  };
}

/** The page number stored in the FIL header (FIL_PAGE_OFFSET). */
export function storedPageNumber(buf: Buffer, at: number): number {
  return buf.readUInt32BE(at + FIL_PAGE_OFFSET);
}

/** Page size encoded in FSP flags' PAGE_SSIZE: 0 is the original 16 KiB, otherwise 512 << ssize (4–64 KiB). */
export function pageSizeFromSsize(ssize: number): number | undefined {
  if (ssize === 0) return 16384;
  if (ssize >= 3 && ssize <= 7) return 512 << ssize;
  return undefined;
}
