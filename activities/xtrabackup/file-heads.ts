/**
 * What the container walkers keep of a backup's files as they stream past: the root metadata files (up to
 * MAX_CAPTURE_BYTES each) and the first TABLESPACE_HEAD_BYTES of each tablespace. Everything else is only
 * counted, so a walk's memory does not grow with the backup.
 */
import { CAPTURED_METADATA_FILES, isTablespacePath, MAX_CAPTURE_BYTES, TABLESPACE_HEAD_BYTES } from './container-issue';

/**
 * Receives every regular file's bytes as a walker streams past them (`fileOffset` is the offset in that file):
 * what turns a verifying walk into an extraction, e.g. the emulator laying a backup out as a cluster volume.
 */
export type FileDataSink = (path: string, fileOffset: number, data: Buffer) => void;

/** The kept bytes of one walk. */
export interface FileHeads {
  /** Offers `data`, the bytes of the regular file `path` from `fileOffset` on (pieces arrive in order). */
  add(path: string, fileOffset: number, data: Buffer): void;
  /** The metadata files' bytes, by root path. */
  captured(): Map<string, Buffer>;
  /** The first bytes of each tablespace, for its FSP flags. */
  readonly tablespaceHeads: Map<string, Buffer>;
  /** The kept bytes, JSON-able (base64), for resuming a walk. */
  snapshot(): FileHeadsState;
}

/** FileHeads' state. */
export interface FileHeadsState {
  metadata: [string, string[]][];
  heads: [string, string][];
}

/** Creates an empty FileHeads, or one holding what `restore` kept. */
export function createFileHeads(restore?: FileHeadsState): FileHeads {
  const b64 = (s: string): Buffer => Buffer.from(s, 'base64');
  const metadata = new Map<string, Buffer[]>((restore?.metadata ?? []).map(([p, list]) => [p, list.map(b64)]));
  const tablespaceHeads = new Map<string, Buffer>((restore?.heads ?? []).map(([p, h]) => [p, b64(h)]));
  return {
    tablespaceHeads,
    snapshot: () => ({
      metadata: [...metadata].map(([p, list]) => [p, list.map((b) => b.toString('base64'))]),
      heads: [...tablespaceHeads].map(([p, h]) => [p, h.toString('base64')]),
    }),
    add(path, fileOffset, data) {
      if (CAPTURED_METADATA_FILES.has(path) && fileOffset < MAX_CAPTURE_BYTES) {
        const list = metadata.get(path) ?? [];
        list.push(Buffer.from(data));
        metadata.set(path, list);
      }
      if (isTablespacePath(path) && fileOffset < TABLESPACE_HEAD_BYTES) {
        const have = tablespaceHeads.get(path) ?? Buffer.alloc(0);
        tablespaceHeads.set(path, Buffer.concat([have, data]).subarray(0, TABLESPACE_HEAD_BYTES));
      }
    },
    captured: () => new Map([...metadata].map(([path, pieces]) => [path, Buffer.concat(pieces)])),
  };
}
