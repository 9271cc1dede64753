/**
 * Quick mode's second way into a plain (uncompressed) tar: hop from member header to member header with ranged
 * reads, skipping each member's data by its size, and keep the root metadata files met on the way. A tar packed
 * from a backup directory (`tar -cf backup.tar -C backup .`) may hold backup-my.cnf anywhere, far from the
 * archive's tail, where the tail read cannot see it. The hop reads one window per stretch of small members and
 * one per large member skipped, so its cost grows with the number of members, not with the data.
 */
import { CAPTURED_METADATA_FILES, MAX_CAPTURE_BYTES } from '../xtrabackup/container-issue';
import { isRegularFile, paddedSize, parseTarHeader, paxPath, TAR_BLOCK } from '../xtrabackup/tar';
import { readStreamRange, type StreamSource, streamSize } from './virtual-stream';

/** What the hop found. */
export interface TarHop {
  captured: Map<string, Buffer>;
  paths: string[];
  bytesRead: number;
  /** False when the archive is damaged or the hop ran out of reads before its end. */
  complete: boolean;
}

/** Bytes fetched per read: covers many small members (headers plus data) at once. */
const WINDOW = 256 * 1024;
/** Reads the hop may make; a tar of more members is left to deep mode. */
export const MAX_HOP_READS = 2000;

/** Walks the member headers of the tar in `src`, from its start, capturing the metadata files. */
export async function hopTarHeaders(src: StreamSource, signal?: AbortSignal): Promise<TarHop> {
  const total = streamSize(src.parts);
  const captured = new Map<string, Buffer>();
  const paths: string[] = [];
  let bytesRead = 0;
  let reads = 0;
  let windowStart = 0;
  let window: Buffer = Buffer.alloc(0);
  /** Bytes [from, to) of the archive, reading a new window when they are not in the current one. */
  const bytesAt = async (from: number, to: number): Promise<Buffer> => {
    if (from < windowStart || to > windowStart + window.length) {
      reads += 1;
      windowStart = from;
      window = await readStreamRange(src, from, Math.min(total, from + Math.max(WINDOW, to - from)), signal);
      bytesRead += window.length;
    }
    return window.subarray(from - windowStart, to - windowStart);
  };
  let at = 0;
  let nextName: string | undefined;
  while (at + TAR_BLOCK <= total) {
    if (reads >= MAX_HOP_READS) return { captured, paths, bytesRead, complete: false };
    const header = parseTarHeader(await bytesAt(at, at + TAR_BLOCK));
    if (header === 'zero') return { captured, paths, bytesRead, complete: true };
    if (!header.checksumOk) return { captured, paths, bytesRead, complete: false };
    const dataStart = at + TAR_BLOCK;
    const extended = header.type === 'x' || header.type === 'L';
    if (extended) {
      const data = await bytesAt(dataStart, Math.min(total, dataStart + Math.min(header.size, 1 << 16)));
      nextName = header.type === 'x' ? (paxPath(data) ?? nextName) : data.toString('utf8').replace(/\0.*$/s, '');
    } else if (header.type !== 'g') {
      const name = nextName ?? header.name;
      nextName = undefined;
      if (header.type !== '5') paths.push(name);
      if (isRegularFile(header.type) && CAPTURED_METADATA_FILES.has(name)) {
        const keep = Math.min(header.size, MAX_CAPTURE_BYTES);
        captured.set(name, Buffer.from(await bytesAt(dataStart, Math.min(total, dataStart + keep))));
      }
    }
    at = dataStart + paddedSize(header.size);
  }
  return { captured, paths, bytesRead, complete: at >= total };
}
