/**
 * Pure tar (ustar/GNU/pax) header decoding: 512-byte blocks, octal or base-256 sizes, a checksum that sums the
 * header with its checksum field read as spaces.
 */

/** Tar block size. */
export const TAR_BLOCK = 512;

/** A decoded tar header. */
export interface TarHeader {
  name: string;
  size: number;
  /** Type flag character: `0`/`\0` file, `5` directory, `x` pax, `g` global pax, `L` GNU long name. */
  type: string;
  checksumOk: boolean;
  ustar: boolean;
}

/** Decodes one 512-byte header block; `'zero'` for an end-of-archive block. */
export function parseTarHeader(block: Buffer): TarHeader | 'zero' {
  if (block.every((b) => b === 0)) return 'zero';
  const stored = parseOctal(block.subarray(148, 156));
  let sum = 0;
  for (let i = 0; i < TAR_BLOCK; i += 1) sum += i >= 148 && i < 156 ? 0x20 : (block[i] ?? 0);
  const ustar = block.toString('latin1', 257, 262) === 'ustar';
  const name = cString(block.subarray(0, 100));
  const prefix = ustar ? cString(block.subarray(345, 500)) : '';
  return {
    name: normalizeTarPath(prefix ? `${prefix}/${name}` : name),
    size: parseSize(block.subarray(124, 136)),
    type: String.fromCharCode(block[156] ?? 0),
    checksumOk: stored === sum,
    ustar,
  };
}

/** The bytes an entry's data occupies, padded to whole blocks. */
export function paddedSize(size: number): number {
  return Math.ceil(size / TAR_BLOCK) * TAR_BLOCK;
}

/** Extracts `path=` from a pax extended header's records. */
export function paxPath(data: Buffer): string | undefined {
  const m = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(data.toString('utf8'));
  return m?.[1] === undefined ? undefined : normalizeTarPath(m[1]);
}

/** Strips a leading `./` (libarchive and GNU tar both may write it). */
export function normalizeTarPath(name: string): string {
  return name.replace(/^(\.\/)+/, '');
}

/** True for types that carry file data to extract. */
export function isRegularFile(type: string): boolean {
  return type === '0' || type === '\0' || type === '7';
}

function cString(buf: Buffer): string {
  const nul = buf.indexOf(0);
  return buf.toString('utf8', 0, nul < 0 ? buf.length : nul);
}

function parseOctal(buf: Buffer): number {
  const text = cString(buf).trim();
  return /^[0-7]+$/.test(text) ? parseInt(text, 8) : -1;
}

function parseSize(buf: Buffer): number {
  if (((buf[0] ?? 0) & 0x80) !== 0) {
    let n = 0;
    for (let i = 1; i < buf.length; i += 1) n = n * 256 + (buf[i] ?? 0);
    return n;
  }
  return Math.max(0, parseOctal(buf));
}
