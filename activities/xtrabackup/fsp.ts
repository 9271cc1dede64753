/**
 * Pure decoding of an InnoDB tablespace's FSP flags from the first bytes of page 0 (format §1.7): big-endian
 * u32 at byte 54.
 */

/** Byte offset of FSP_SPACE_FLAGS in page 0 (FIL header 38 + 16). */
export const FSP_FLAGS_OFFSET = 54;

/** The FSP flags the validator cares about. */
export interface FspFlags {
  /** ≠ 0: ROW_FORMAT=COMPRESSED. */
  zipSsize: number;
  /** 0 (legacy) or 5 mean 16 KiB pages. */
  pageSsize: number;
  dataDir: boolean;
  encryption: boolean;
}

/** Reads the FSP flags from page 0's first bytes; undefined if fewer than 58 bytes are given. */
export function parseFspFlags(head: Buffer): FspFlags | undefined {
  if (head.length < FSP_FLAGS_OFFSET + 4) return undefined;
  const flags = head.readUInt32BE(FSP_FLAGS_OFFSET);
  return {
    zipSsize: (flags >>> 1) & 0xf,
    pageSsize: (flags >>> 6) & 0xf,
    dataDir: ((flags >>> 10) & 1) === 1,
    encryption: ((flags >>> 13) & 1) === 1,
  };
}
