/**
 * The xbstream container (format §2): chunk constants and a pure chunk-header parser. All integers are
 * little-endian; a chunk is magic, flags, type, path length, path, then (P/S) lengths, offset, CRC-32, payload.
 */

/** `XBSTCK01`, the first 8 bytes of every chunk. */
export const XBSTREAM_MAGIC = Buffer.from('XBSTCK01', 'ascii');
/** Bytes before the path: magic (8), flags (1), type (1), path length (4). */
export const CHUNK_HEADER_CONSTANT_LEN = 14;
/** Readers reject paths this long or longer (FN_REFLEN). */
export const MAX_PATH_LEN = 512;
/** Flag bit: a reader may skip a chunk of an unknown type. */
export const FLAG_IGNORABLE = 0x01;

/** Chunk type bytes. */
export const ChunkType = { Payload: 0x50, Sparse: 0x53, End: 0x45 } as const;

/** A decoded chunk header; `headerLength` bytes precede `payloadLength` bytes of payload. */
export interface ChunkHeader {
  flags: number;
  type: number;
  path: string;
  headerLength: number;
  payloadLength: number;
  payloadOffset: number;
  checksum: number;
  /** `S` chunks: the raw sparse map (8 bytes per entry), which the CRC covers before the payload. */
  sparseMap?: Buffer;
  /** An unknown type carrying the IGNORABLE flag, laid out like `P`. */
  ignorable?: boolean;
}

/** Outcome of parsing a header at an offset: complete, needs more bytes, or not a valid header. */
export type HeaderParse =
  | { status: 'ok'; header: ChunkHeader }
  | { status: 'incomplete' }
  | { status: 'invalid'; reason: 'magic' | 'path' | 'type' | 'length'; message: string };

const MAX_SPARSE_ENTRIES = 1 << 20;

/** Parses the chunk header starting at `at` in `buf` without reading the payload. */
export function parseChunkHeader(buf: Buffer, at: number): HeaderParse {
  if (buf.length - at < CHUNK_HEADER_CONSTANT_LEN) {
    return buf.length - at >= 8 && !buf.subarray(at, at + 8).equals(XBSTREAM_MAGIC) ? badMagic() : incomplete();
  }
  if (buf.compare(XBSTREAM_MAGIC, 0, 8, at, at + 8) !== 0) return badMagic();
  const flags = buf.readUInt8(at + 8);
  const type = buf.readUInt8(at + 9);
  const pathLength = buf.readUInt32LE(at + 10);
  if (pathLength >= MAX_PATH_LEN || pathLength === 0) {
    return { status: 'invalid', reason: 'path', message: `path length ${pathLength} is out of range` };
  }
  let pos = at + CHUNK_HEADER_CONSTANT_LEN;
  if (buf.length < pos + pathLength) return incomplete();
  const path = buf.toString('latin1', pos, pos + pathLength);
  pos += pathLength;
  if (type === ChunkType.End) {
    return {
      status: 'ok',
      header: { flags, type, path, headerLength: pos - at, payloadLength: 0, payloadOffset: 0, checksum: 0 },
    };
  }
  const known = type === ChunkType.Payload || type === ChunkType.Sparse;
  if (!known && (flags & FLAG_IGNORABLE) === 0) {
    return { status: 'invalid', reason: 'type', message: `unknown chunk type 0x${type.toString(16)}` };
  }
  let sparseCount = 0;
  if (type === ChunkType.Sparse) {
    if (buf.length < pos + 4) return incomplete();
    sparseCount = buf.readUInt32LE(pos);
    if (sparseCount > MAX_SPARSE_ENTRIES) {
      return { status: 'invalid', reason: 'length', message: `sparse map of ${sparseCount} entries` };
    }
    pos += 4;
  }
  if (buf.length < pos + 20 + 8 * sparseCount) return incomplete();
  const payloadLength = buf.readBigUInt64LE(pos);
  const payloadOffset = buf.readBigUInt64LE(pos + 8);
  if (payloadLength > BigInt(Number.MAX_SAFE_INTEGER) || payloadOffset > BigInt(Number.MAX_SAFE_INTEGER)) {
    return { status: 'invalid', reason: 'length', message: 'payload length or offset beyond 2^53' };
  }
  const checksum = buf.readUInt32LE(pos + 16);
  pos += 20;
  const header: ChunkHeader = {
    flags,
    type,
    path,
    headerLength: 0,
    payloadLength: Number(payloadLength),
    payloadOffset: Number(payloadOffset),
    checksum,
  };
  if (type === ChunkType.Sparse) {
    header.sparseMap = Buffer.from(buf.subarray(pos, pos + 8 * sparseCount));
    pos += 8 * sparseCount;
  }
  if (!known) header.ignorable = true;
  header.headerLength = pos - at;
  return { status: 'ok', header };
}

/** Sum of the `len` fields of a sparse map (must equal the payload length) and of its `skip` fields. */
export function sparseMapTotals(map: Buffer): { skip: number; len: number } {
  let skip = 0;
  let len = 0;
  for (let i = 0; i + 8 <= map.length; i += 8) {
    skip += map.readUInt32LE(i);
    len += map.readUInt32LE(i + 4);
  }
  return { skip, len };
}

/** True when a path is safe to extract: relative, no `..`, no NUL. */
export function isSafeStreamPath(path: string): boolean {
  return !path.startsWith('/') && !path.includes('\0') && !path.split('/').includes('..');
}

function incomplete(): HeaderParse {
  return { status: 'incomplete' };
}

function badMagic(): HeaderParse {
  return { status: 'invalid', reason: 'magic', message: 'wrong chunk magic (expected XBSTCK01)' };
}
