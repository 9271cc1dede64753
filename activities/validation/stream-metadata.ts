/**
 * Quick mode for stream layouts: checks the container's magic bytes, then finds the metadata files without
 * reading the stream — from its tail with ranged GETs (xbstream, tar), or from a bounded head-first read (gzip).
 */
import type { BackupFormat, ValidationFinding } from '../../workflows/types';
import { walkTarTail } from '../xtrabackup/tar-walker';
import { walkXbstreamTail } from '../xtrabackup/xbstream-tail';
import { XBSTREAM_MAGIC } from '../xtrabackup/xbstream';
import { walkContainer } from './container-walk';
import { finding, FindingCodes as C } from './findings';
import { hopTarHeaders } from './tar-header-hop';
import { readStreamRange, type StreamSource, streamSize } from './virtual-stream';

/** Metadata found in a stream, or why none was. */
export interface StreamMetadata {
  captured: Map<string, Buffer>;
  paths: string[];
  /** False when metadata checks must not run (wrong container, or not reached within the budget). */
  usable: boolean;
  findings: ValidationFinding[];
  bytesRead: number;
}

/** The metadata files a tar read looks for before it stops. */
const TAR_METADATA = ['xtrabackup_checkpoints', 'xtrabackup_info', 'backup-my.cnf'];

/** Tail windows tried in turn; the metadata normally sits in the last few KB. */
export const TAIL_WINDOWS = [1 << 20, 8 << 20, 64 << 20];
/** How much of a gzip stream quick mode decompresses before giving up and deferring to deep mode. */
export const QUICK_GZIP_BUDGET = 256 << 20;

/** Reads the metadata of a stream layout with as few bytes as possible. */
export async function readStreamMetadata(
  src: StreamSource,
  format: BackupFormat,
  signal?: AbortSignal,
): Promise<StreamMetadata> {
  const total = streamSize(src.parts);
  const first = src.parts[0]?.key ?? '';
  const head = await readStreamRange(src, 0, Math.min(total, 512), signal);
  const mismatch = sniff(format, head);
  if (mismatch) {
    return {
      captured: new Map(),
      paths: [],
      usable: false,
      bytesRead: head.length,
      findings: [
        finding(
          C.ContainerMagicMismatch,
          'error',
          `${first} is named like ${format} but its content ${mismatch}`,
          'Name each object after its real format (.xbstream, .tar, .tar.gz); Aurora picks the reader from the extension.',
          first,
        ),
      ],
    };
  }
  if (format === 'xbstream' || format === 'tar') {
    let bytesRead = head.length;
    let found: { captured: Map<string, Buffer>; paths: string[] } | undefined;
    for (const window of TAIL_WINDOWS) {
      const w = Math.min(window, total);
      const start = total - w;
      const tail = await readStreamRange(src, start, total, signal);
      bytesRead += tail.length;
      found = format === 'xbstream' ? walkXbstreamTail(tail) : walkTarTail(tail, (512 - (start % 512)) % 512);
      if (found || w === total) break;
    }
    // A tar packed from a backup directory may keep some metadata far from its tail: hop the member headers.
    if (format === 'tar' && !TAR_METADATA.every((name) => found?.captured.has(name))) {
      const hop = await hopTarHeaders(src, signal);
      bytesRead += hop.bytesRead;
      found = {
        captured: new Map([...(found?.captured ?? []), ...hop.captured]),
        paths: hop.complete || !found ? hop.paths : found.paths,
      };
    }
    if (found) {
      return {
        captured: found.captured,
        paths: found.paths,
        usable: true,
        findings: nested(found.paths, first),
        bytesRead,
      };
    }
    // No chunk chain reaches the end: the stream was cut mid-chunk, or the metadata is not at its end.
    return { captured: new Map(), paths: [], usable: true, findings: [], bytesRead };
  }
  const walk = await walkContainer(src, format, { signal, stopAtInfo: true, maxBytes: QUICK_GZIP_BUDGET });
  const findings = walk.issues.map((i) =>
    finding(i.code, i.severity, i.message, 'Upload the stream again; check it with gzip -t.', first),
  );
  if (!walk.complete && !walk.captured.has('xtrabackup_info') && findings.length === 0) {
    findings.push(
      finding(
        C.StreamMetadataNotRead,
        'warning',
        `xtrabackup_info was not within the first ${QUICK_GZIP_BUDGET} bytes of the gzip stream, so quick mode could not check the metadata`,
        'Run the validation in deep mode, which reads the whole stream.',
        first,
      ),
    );
    return { captured: walk.captured, paths: walk.paths, usable: false, findings, bytesRead: walk.bytesRead };
  }
  return {
    captured: walk.captured,
    paths: walk.paths,
    usable: findings.every((f) => f.severity !== 'error'),
    findings: [...findings, ...nested(walk.paths, first)],
    bytesRead: walk.bytesRead,
  };
}

function sniff(format: BackupFormat, head: Buffer): string | undefined {
  if (head.length === 0) return 'is empty';
  if (format === 'xbstream' && !head.subarray(0, 8).equals(XBSTREAM_MAGIC)) return describe(head);
  if (format === 'tar' && (head.length < 512 || head.toString('latin1', 257, 262) !== 'ustar')) return describe(head);
  if ((format === 'tar.gz' || format === 'gzip') && !(head[0] === 0x1f && head[1] === 0x8b)) return describe(head);
  return undefined;
}

function describe(head: Buffer): string {
  if (head.subarray(0, 8).equals(XBSTREAM_MAGIC)) return 'is an xbstream';
  if (head[0] === 0x1f && head[1] === 0x8b) return 'is gzip-compressed';
  if (head.length >= 262 && head.toString('latin1', 257, 262) === 'ustar') return 'is a tar archive';
  if (head.toString('latin1', 0, 7) === 'XBCRYP0') return 'is encrypted by XtraBackup (xbcrypt)';
  return 'is not in that format';
}

function nested(paths: string[], key: string): ValidationFinding[] {
  const inner = paths.find((p) => /\.(xbstream|tar|tar\.gz|tgz)(\.?\d+)?$/.test(p));
  return inner === undefined
    ? []
    : [
        finding(
          C.NestedArchive,
          'error',
          `the stream contains another archive (${inner}): Aurora does not unpack nested archives`,
          'Upload the inner backup itself (unpack the outer archive first).',
          key,
        ),
      ];
}
