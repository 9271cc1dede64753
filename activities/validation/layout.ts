/**
 * Pure layout detection from an S3 listing: a directory tree (one or more backup roots), or one stream in
 * `.xbstream`/`.tar`/`.tar.gz`/`.gz` objects, possibly split; plus the listing-level defects (format §4).
 */
import type { BackupFormat, ValidationFinding } from '../../workflows/types';
import { finding, FindingCodes as C } from './findings';

/** One listed object. */
export interface ListedObject {
  key: string;
  size: number;
  storageClass?: string;
}

/** A directory-layout backup root and its files, with paths relative to the root. */
export interface DirectoryRoot {
  /** Relative to the prefix, `''` or ending in `/`. */
  root: string;
  files: { path: string; object: ListedObject }[];
}

/** The detected layout. */
export interface Layout {
  format: BackupFormat;
  findings: ValidationFinding[];
  /** Objects that count (folder markers excluded). */
  objects: ListedObject[];
  roots: DirectoryRoot[];
  /** Stream parts in restore order (one element for an unsplit stream). */
  streamParts: ListedObject[];
}

/** S3's object size limit (5 TiB) and Aurora's limits on the number of files and the backup size. */
export const Limits = { maxObjects: 1_000_000, maxObjectBytes: 5 * 1024 ** 4, maxBackupBytes: 64 * 1024 ** 4 } as const;

const STREAM_RE = /^(.+?)\.(xbstream|tar\.gz|tar|gz)(?:\.?(\d+))?$/;
const UNSUPPORTED_RE = /\.(zip|tgz|bz2|xz|7z|rar)(\.?\d+)?$|\.xbstream\.(gz|zst|lz4|bz2|xz)(\.?\d+)?$/;
const XBCLOUD_RE = /\.\d{20}$/;
const ROOT_FILE_RE =
  /^(xtrabackup_.+|mariadb_backup_.+|backup-my\.cnf|ibdata\d+.*|ib_buffer_pool.*|ib_logfile\d+.*|ibtmp\d+|undo_?\d+.*|.+\.ibd(\..+)?|.+\.(delta|meta)|.+-bin\.\d+.*|binlog\.\d+.*|.+\.index|auto\.cnf|.+\.(qp|lz4|zst|xbcrypt)|.+\.pem|#.+|aria_log.*)$/;

/** Detects the layout of the objects under `prefix` and the defects visible in the listing alone. */
export function detectLayout(bucket: string, prefix: string, listed: ListedObject[]): Layout {
  const where = `s3://${bucket}/${prefix}`;
  const objects = listed.filter((o) => !(o.key.endsWith('/') && o.size === 0));
  const out: ValidationFinding[] = [];
  const layout: Layout = { format: 'unknown', findings: out, objects, roots: [], streamParts: [] };
  if (objects.length === 0) {
    out.push(
      finding(
        C.PrefixEmpty,
        'error',
        `no objects under ${where}`,
        'Check the bucket and prefix, and that the upload finished.',
        where,
      ),
    );
    return layout;
  }
  out.push(...checkListingLimits(objects, where));
  const rel = (key: string): string => {
    const r = key.slice(prefix.length);
    return prefix !== '' && !prefix.endsWith('/') && r.startsWith('/') ? r.slice(1) : r;
  };
  if (prefix !== '' && !prefix.endsWith('/')) {
    const heads = new Set(objects.map((o) => o.key.slice(prefix.length).split('/')[0]));
    if (heads.size > 1) {
      out.push(
        finding(
          C.PrefixAmbiguous,
          'warning',
          `the prefix ${prefix} matches keys of several folders (${[...heads]
            .slice(0, 3)
            .map((h) => prefix + (h ?? ''))
            .join(', ')}): S3 prefixes are string prefixes`,
          `End the prefix with '/' (e.g. ${prefix}/).`,
          where,
        ),
      );
    }
  }
  const xbcloud = objects.filter((o) => XBCLOUD_RE.test(o.key));
  if (xbcloud.length > 0) {
    out.push(
      finding(
        C.XbcloudLayout,
        'error',
        `${xbcloud.length} object(s) named like xbcloud chunks (e.g. ${xbcloud[0]?.key}): xbcloud stores each xbstream chunk as an object, which Aurora cannot read`,
        'Download with xbcloud get … | xbstream -x and upload the directory, or upload the raw stream as one .xbstream object.',
        xbcloud[0]?.key,
      ),
    );
  }
  const unsupported = objects.filter((o) => UNSUPPORTED_RE.test(o.key));
  for (const o of unsupported.slice(0, 5)) {
    out.push(
      finding(
        C.UnsupportedContainer,
        'error',
        `${o.key}: Aurora reads only directories, .xbstream, .tar, .tar.gz and .gz objects`,
        'Unpack it and upload the backup directory or a plain .xbstream/.tar/.tar.gz stream.',
        o.key,
      ),
    );
  }
  const rest = objects.filter((o) => !XBCLOUD_RE.test(o.key) && !UNSUPPORTED_RE.test(o.key));
  const streams = rest.filter((o) => !rel(o.key).includes('/') && STREAM_RE.test(rel(o.key)));
  const files = rest.filter((o) => !streams.includes(o));
  if (streams.length > 0) {
    detectStream(streams, out, layout);
    if (files.length > 0) {
      out.push(
        finding(
          C.MixedLayout,
          'error',
          `${files.length} object(s) besides the stream, e.g. ${files[0]?.key}: Aurora would read them too`,
          'Keep only the stream objects under the prefix.',
          files[0]?.key,
        ),
      );
    }
    return layout;
  }
  if (files.length === 0) return layout;
  layout.format = 'directory';
  layout.roots = detectRoots(
    files.map((o) => ({ path: rel(o.key), object: o })),
    out,
  );
  return layout;
}

function checkListingLimits(objects: ListedObject[], where: string): ValidationFinding[] {
  const out: ValidationFinding[] = [];
  if (objects.length > Limits.maxObjects) {
    out.push(
      finding(
        C.TooManyObjects,
        'error',
        `${objects.length} objects under the prefix; Aurora reads at most 1,000,000 files`,
        'Pack the backup into an .xbstream or .tar.gz stream.',
        where,
      ),
    );
  }
  const big = objects.find((o) => o.size > Limits.maxObjectBytes);
  if (big) {
    out.push(
      finding(
        C.ObjectTooLarge,
        'error',
        `${big.key} is ${big.size} bytes, over S3's 5 TB object limit`,
        'Split the stream with split -d --bytes=500MB.',
        big.key,
      ),
    );
  }
  const total = objects.reduce((n, o) => n + o.size, 0);
  const gz = objects.some((o) => /\.gz(\.?\d+)?$/.test(o.key));
  const limit = gz ? Limits.maxBackupBytes / 2 : Limits.maxBackupBytes;
  if (total > limit) {
    out.push(
      finding(
        C.BackupTooLarge,
        'error',
        `the backup is ${total} bytes; Aurora restores at most 64 TiB (less the compressed size for compressed backups)`,
        'Migrate a smaller data set, or migrate logically.',
        where,
      ),
    );
  }
  const archived = objects.filter((o) => o.storageClass === 'GLACIER' || o.storageClass === 'DEEP_ARCHIVE');
  if (archived.length > 0) {
    out.push(
      finding(
        C.StorageClassArchived,
        'error',
        `${archived.length} object(s) in an archival storage class (e.g. ${archived[0]?.key}: ${archived[0]?.storageClass}) cannot be read`,
        'Restore them from Glacier (or copy them to STANDARD) before migrating.',
        archived[0]?.key,
      ),
    );
  }
  return out;
}

function detectStream(streams: ListedObject[], out: ValidationFinding[], layout: Layout): void {
  const groups = new Map<string, { ext: string; parts: { n?: number; digits?: string; object: ListedObject }[] }>();
  for (const o of streams) {
    const name = o.key.slice(o.key.lastIndexOf('/') + 1);
    const m = STREAM_RE.exec(name);
    if (!m?.[1] || !m[2]) continue;
    const id = `${m[1]}.${m[2]}`;
    const group = groups.get(id) ?? { ext: m[2], parts: [] };
    group.parts.push(m[3] === undefined ? { object: o } : { n: Number(m[3]), digits: m[3], object: o });
    groups.set(id, group);
  }
  const [first, ...others] = [...groups.entries()];
  if (!first) return;
  if (others.length > 0) {
    out.push(
      finding(
        C.MultipleBackups,
        'error',
        `several streams under one prefix: ${[...groups.keys()].join(', ')}`,
        'Give each backup its own prefix.',
        others[0]?.[1].parts[0]?.object.key,
      ),
    );
  }
  const { ext, parts } = first[1];
  layout.format = ext === 'xbstream' ? 'xbstream' : ext === 'tar' ? 'tar' : ext === 'tar.gz' ? 'tar.gz' : 'gzip';
  const numbered = parts
    .filter((p) => p.n !== undefined)
    .sort((a, b) => (a.n ?? 0) - (b.n ?? 0) || (a.digits ?? '').localeCompare(b.digits ?? ''));
  const whole = parts.filter((p) => p.n === undefined);
  if (numbered.length > 0 && whole.length > 0) {
    out.push(
      finding(
        C.SplitPartGap,
        'error',
        `${first[0]} exists both whole and split into parts`,
        'Keep either the whole stream or its split parts.',
        whole[0]?.object.key,
      ),
    );
  }
  numbered.forEach((p, i) => {
    if (p.n !== i && !out.some((f) => f.code === C.SplitPartGap)) {
      out.push(
        finding(
          C.SplitPartGap,
          'error',
          `split part ${i} of ${first[0]} is missing (found ${p.object.key} next)`,
          'Upload every part produced by split -d, with its numeric suffix.',
          p.object.key,
        ),
      );
    }
  });
  layout.streamParts = [...whole, ...numbered].map((p) => p.object);
}

function detectRoots(files: { path: string; object: ListedObject }[], out: ValidationFinding[]): DirectoryRoot[] {
  const marker = /(^|\/)(xtrabackup_checkpoints|xtrabackup_info|mariadb_backup_checkpoints|mariadb_backup_info)$/;
  const rootNames = [
    ...new Set(files.filter((f) => marker.test(f.path)).map((f) => f.path.slice(0, f.path.lastIndexOf('/') + 1))),
  ];
  if (rootNames.length === 0) rootNames.push('');
  rootNames.sort((a, b) => b.length - a.length);
  const roots = new Map<string, DirectoryRoot>(rootNames.map((r) => [r, { root: r, files: [] }]));
  const stray: string[] = [];
  for (const f of files) {
    const root = rootNames.find((r) => f.path.startsWith(r));
    const inner = root === undefined ? undefined : f.path.slice(root.length);
    if (root === undefined || inner === undefined || (!inner.includes('/') && !ROOT_FILE_RE.test(inner))) {
      stray.push(f.object.key);
      continue;
    }
    roots.get(root)?.files.push({ path: inner, object: f.object });
  }
  if (stray.length > 0) {
    out.push(
      finding(
        C.StrayObject,
        'error',
        `${stray.length} object(s) that are not part of an XtraBackup backup, e.g. ${stray[0]}: Aurora reads every object under the prefix`,
        'Move them out of the prefix.',
        stray[0],
      ),
    );
  }
  return [...roots.values()].sort((a, b) => a.root.localeCompare(b.root));
}
