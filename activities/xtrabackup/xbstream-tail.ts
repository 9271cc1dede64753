/**
 * Finds the metadata files at the end of an xbstream from its last bytes only. XtraBackup writes them last
 * (format §1.6), so the tail holds them; a candidate chunk start is accepted only if walking chunk headers from
 * it lands exactly on the end of the stream, which payload bytes that merely contain the magic do not do.
 */
import { CAPTURED_METADATA_FILES } from './container-issue';
import { ChunkType, parseChunkHeader, XBSTREAM_MAGIC } from './xbstream';

/** Metadata and paths recovered from an xbstream's tail. */
export interface XbstreamTail {
  /** Offset within the tail buffer of the first whole chunk. */
  startsAt: number;
  captured: Map<string, Buffer>;
  /** Paths of the chunks in the tail (the last files of the backup). */
  paths: string[];
}

/** Walks the tail of a stream (`tail` ends exactly where the stream ends); undefined if no chunk chain fits. */
export function walkXbstreamTail(tail: Buffer): XbstreamTail | undefined {
  for (let i = tail.indexOf(XBSTREAM_MAGIC); i >= 0; i = tail.indexOf(XBSTREAM_MAGIC, i + 1)) {
    const walked = walkFrom(tail, i);
    if (walked) return walked;
  }
  return undefined;
}

function walkFrom(tail: Buffer, start: number): XbstreamTail | undefined {
  const captured = new Map<string, Buffer[]>();
  const paths = new Set<string>();
  let at = start;
  while (at < tail.length) {
    const parsed = parseChunkHeader(tail, at);
    if (parsed.status !== 'ok') return undefined;
    const { header } = parsed;
    const payloadStart = at + header.headerLength;
    const next = payloadStart + header.payloadLength;
    if (next > tail.length) return undefined;
    paths.add(header.path);
    if (header.type === ChunkType.Payload && CAPTURED_METADATA_FILES.has(header.path)) {
      const list = captured.get(header.path) ?? [];
      list.push(tail.subarray(payloadStart, next));
      captured.set(header.path, list);
    }
    at = next;
  }
  return {
    startsAt: start,
    captured: new Map([...captured].map(([k, v]) => [k, Buffer.concat(v)])),
    paths: [...paths],
  };
}
