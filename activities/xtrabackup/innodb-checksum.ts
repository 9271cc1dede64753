/**
 * The checksum functions InnoDB (MySQL 5.7 and 8.0) stores in a page's FIL header and trailer, computed the way
 * the server computes them (written from the page layout described in MySQL's `buf0checksum`/`ut0crc32`
 * documentation, not copied):
 *
 * - `crc32`: CRC-32C (Castagnoli) of bytes [4, 26) XOR CRC-32C of bytes [38, pageSize − 8), so the checksum
 *   fields, FIL_PAGE_FILE_FLUSH_LSN/space id and the trailer are not covered.
 * - `crc32` legacy big-endian: what MySQL 5.6/5.7 computed on big-endian machines, where each 8-byte word at an
 *   8-byte-aligned address (page frames are page-aligned, so alignment is relative to the page start) was fed in
 *   reversed byte order. Later servers accept it so such files stay readable.
 * - `innodb` (the pre-5.7 default): InnoDB's fold hash (`ut_fold_binary`) of the same two ranges for the header
 *   field, and of bytes [0, 26) for the trailer's "old" field. Folding uses only xor, shifts and additions, so its
 *   low 32 bits (all InnoDB keeps) are computed exactly in 32-bit arithmetic.
 * - `none`: the magic 0xDEADBEEF in both fields.
 */

/** The FIL header field holding the checksum (FIL_PAGE_SPACE_OR_CHKSUM). */
export const FIL_PAGE_SPACE_OR_CHKSUM = 0;
/** First byte covered by the checksums (FIL_PAGE_OFFSET, the page number). */
export const FIL_PAGE_OFFSET = 4;
/** FIL_PAGE_LSN, the page's newest modification LSN (u64). */
export const FIL_PAGE_LSN = 16;
/** FIL_PAGE_TYPE (u16). */
export const FIL_PAGE_TYPE = 24;
/** FIL_PAGE_FILE_FLUSH_LSN: not covered by the checksums (written at shutdown into page 0 of ibdata1). */
export const FIL_PAGE_FILE_FLUSH_LSN = 26;
/** FIL_PAGE_SPACE_ID (FIL_PAGE_ARCH_LOG_NO_OR_SPACE_ID). */
export const FIL_PAGE_SPACE_ID = 34;
/** FIL_PAGE_DATA: where the page body starts. */
export const FIL_PAGE_DATA = 38;
/** Size of the trailer (FIL_PAGE_END_LSN_OLD_CHKSUM): old-style checksum (u32), then the LSN's low 32 bits. */
export const FIL_PAGE_TRAILER = 8;
/** The value `innodb_checksum_algorithm=none` writes into both checksum fields. */
export const BUF_NO_CHECKSUM_MAGIC = 0xdeadbeef;

const CASTAGNOLI_REFLECTED = 0x82f63b78;
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Slice-by-8 tables: TABLES[k * 256 + n]. */
const TABLES = ((): Uint32Array => {
  const t = new Uint32Array(8 * 256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ CASTAGNOLI_REFLECTED : c >>> 1;
    t[n] = c >>> 0;
  }
  for (let n = 0; n < 256; n++) {
    for (let k = 1; k < 8; k++) {
      const prev = t[(k - 1) * 256 + n]!;
      t[k * 256 + n] = ((prev >>> 8) ^ t[prev & 0xff]!) >>> 0;
    }
  }
  return t;
})();

const [T0, T1, T2, T3, T4, T5, T6, T7] = Array.from({ length: 8 }, (_, k) => TABLES.subarray(k * 256, k * 256 + 256));

/**
 * CRC-32C of `buf[start, end)`. With `legacyBigEndian`, each 8-byte word aligned relative to `alignBase` is fed
 * byte-reversed (bytes before the first aligned address and after the last whole word go one by one).
 */
export function crc32c(buf: Buffer, start = 0, end = buf.length, legacyBigEndian = false, alignBase = 0): number {
  const t0 = T0!;
  const [t1, t2, t3, t4, t5, t6, t7] = [T1!, T2!, T3!, T4!, T5!, T6!, T7!];
  let crc = ~0;
  let i = start;
  while (i < end && (i - alignBase) % 8 !== 0) crc = t0[(crc ^ buf[i++]!) & 0xff]! ^ (crc >>> 8);
  // Slice-by-8: `lo` and `hi` are the word's bytes in the order CRC-32C consumes them (little-endian).
  const words = end - ((end - i) % 8);
  if (legacyBigEndian) {
    for (; i < words; i += 8) {
      const lo = crc ^ (buf[i + 7]! | (buf[i + 6]! << 8) | (buf[i + 5]! << 16) | (buf[i + 4]! << 24));
      const hi = buf[i + 3]! | (buf[i + 2]! << 8) | (buf[i + 1]! << 16) | (buf[i]! << 24);
      crc =
        t7[lo & 0xff]! ^
        t6[(lo >>> 8) & 0xff]! ^
        t5[(lo >>> 16) & 0xff]! ^
        t4[lo >>> 24]! ^
        t3[hi & 0xff]! ^
        t2[(hi >>> 8) & 0xff]! ^
        t1[(hi >>> 16) & 0xff]! ^
        t0[hi >>> 24]!;
    }
  } else if ((buf.byteOffset + i) % 4 === 0 && LITTLE_ENDIAN) {
    // Aligned: read the words through a 32-bit view (two loads instead of eight).
    const view = new Uint32Array(buf.buffer, buf.byteOffset + i, (words - i) / 4);
    for (let w = 0; w < view.length; w += 2) {
      const lo = crc ^ view[w]!;
      const hi = view[w + 1]!;
      crc =
        t7[lo & 0xff]! ^
        t6[(lo >>> 8) & 0xff]! ^
        t5[(lo >>> 16) & 0xff]! ^
        t4[lo >>> 24]! ^
        t3[hi & 0xff]! ^
        t2[(hi >>> 8) & 0xff]! ^
        t1[(hi >>> 16) & 0xff]! ^
        t0[hi >>> 24]!;
    }
    i = words;
  } else {
    for (; i < words; i += 8) {
      const lo = crc ^ (buf[i]! | (buf[i + 1]! << 8) | (buf[i + 2]! << 16) | (buf[i + 3]! << 24));
      const hi = buf[i + 4]! | (buf[i + 5]! << 8) | (buf[i + 6]! << 16) | (buf[i + 7]! << 24);
      crc =
        t7[lo & 0xff]! ^
        t6[(lo >>> 8) & 0xff]! ^
        t5[(lo >>> 16) & 0xff]! ^
        t4[lo >>> 24]! ^
        t3[hi & 0xff]! ^
        t2[(hi >>> 8) & 0xff]! ^
        t1[(hi >>> 16) & 0xff]! ^
        t0[hi >>> 24]!;
    }
  }
  while (i < end) crc = t0[(crc ^ buf[i++]!) & 0xff]! ^ (crc >>> 8);
  return ~crc >>> 0;
}

/** The `crc32` page checksum of the page at `buf[at, at + pageSize)`. */
export function pageCrc32(buf: Buffer, at: number, pageSize: number, legacyBigEndian = false): number {
  const c1 = crc32c(buf, at + FIL_PAGE_OFFSET, at + FIL_PAGE_FILE_FLUSH_LSN, legacyBigEndian, at);
  const c2 = crc32c(buf, at + FIL_PAGE_DATA, at + pageSize - FIL_PAGE_TRAILER, legacyBigEndian, at);
  return (c1 ^ c2) >>> 0;
}

const UT_HASH_RANDOM_MASK = 1463735687;
const UT_HASH_RANDOM_MASK2 = 1653893711;

/** InnoDB's `ut_fold_binary` of `buf[start, end)`, low 32 bits. */
export function foldBinary(buf: Buffer, start: number, end: number): number {
  let fold = 0;
  for (let i = start; i < end; i++) {
    const n2 = buf[i]!;
    fold = ((((((fold ^ n2 ^ UT_HASH_RANDOM_MASK2) << 8) + fold) >>> 0) ^ UT_HASH_RANDOM_MASK) + n2) >>> 0;
  }
  return fold;
}

/** The `innodb` algorithm's header-field checksum (buf_calc_page_new_checksum). */
export function pageInnodbNew(buf: Buffer, at: number, pageSize: number): number {
  const a = foldBinary(buf, at + FIL_PAGE_OFFSET, at + FIL_PAGE_FILE_FLUSH_LSN);
  const b = foldBinary(buf, at + FIL_PAGE_DATA, at + pageSize - FIL_PAGE_TRAILER);
  return (a + b) >>> 0;
}

/** The `innodb` algorithm's trailer-field checksum (buf_calc_page_old_checksum). */
export function pageInnodbOld(buf: Buffer, at: number): number {
  return foldBinary(buf, at, at + FIL_PAGE_FILE_FLUSH_LSN);
}
