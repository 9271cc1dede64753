/**
 * Where a deep validation stands, as heartbeated by the activity: a retry after the worker died continues from
 * here instead of byte 0. It is plain JSON (Buffers as base64) and holds only what the check cannot re-derive
 * without re-reading: the position (root and objects done, or the stream offset), the walker's and the page
 * verifier's state (running CRC of the chunk in progress, partial pages, counters, issues so far).
 */
import type { ValidationFinding } from '../../workflows/types';
import type { PageVerifierState } from '../xtrabackup/page-verifier';
import type { XbstreamWalkerState } from '../xtrabackup/xbstream-walker';
import type { DirectoryPosition } from './deep-directory';
import type { ListedObject } from './layout';

/** An xbstream walk's position: the next stream offset to read and the state at it. */
export interface StreamPosition {
  offset: number;
  walker: XbstreamWalkerState;
  pages: PageVerifierState;
}

/** A deep validation's resume point. */
export interface ResumePoint {
  version: 1;
  /** Fingerprint of the listing it was taken on; a backup that changed since starts over. */
  backup: string;
  bytesDone: number;
  /** Directory layout: roots fully read, and the findings their deep read produced. */
  rootsDone?: number;
  rootFindings?: ValidationFinding[];
  directory?: DirectoryPosition;
  stream?: StreamPosition;
}

/** Heartbeat details larger than this carry no resume point (Temporal caps a payload at 2 MB). */
export const MAX_RESUME_POINT_BYTES = 1 << 20;

/** The listing's fingerprint: keys and sizes in order. */
export function backupFingerprint(objects: ListedObject[]): string {
  let h = 0;
  for (const o of objects) {
    for (const c of `${o.key}\u0000${o.size}\u0000`) h = (Math.imul(h, 31) + c.charCodeAt(0)) >>> 0;
  }
  return `${objects.length}:${objects.reduce((n, o) => n + o.size, 0)}:${h.toString(16)}`;
}

/** True when `value` looks like a resume point of this version for this backup. */
export function isResumePointFor(value: unknown, fingerprint: string): value is ResumePoint {
  const v = value as Partial<ResumePoint> | undefined;
  return typeof v === 'object' && v !== null && v.version === 1 && v.backup === fingerprint;
}
