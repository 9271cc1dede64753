/**
 * The validator itself: list, detect the layout, read the metadata (quick) or every byte (deep), run the pure
 * checks, and assemble the report. Backup defects become findings; only infrastructure errors throw.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import type { BinlogCoordinates, ValidationFinding, ValidationMode, ValidationReport } from '../../workflows/types';
import type { BackupFacts, BackupUnderCheck } from './check-types';
import { checkChain, type ChainMember } from './chain-checks';
import { walkContainer } from './container-walk';
import { directoryBytes, type DirectoryPosition, readDirectoryDeep } from './deep-directory';
import { readRootMetadata } from './directory-reader';
import { finding, FindingCodes as C } from './findings';
import { detectLayout, type Layout } from './layout';
import { checkBackupMetadata } from './metadata-checks';
import { pageFindings } from './page-findings';
import { bucketRegion, isSseCustomerKeyObject, listAllObjects } from './s3-io';
import { backupFingerprint, isResumePointFor, type ResumePoint, type StreamPosition } from './resume-point';
import { readStreamMetadata } from './stream-metadata';
import { checkTablespaceHeads } from './tablespace-checks';
import { parseBackupMyCnf } from '../xtrabackup/metadata';
import { partAt, type StreamSource, streamSize } from './virtual-stream';

/** What to validate. */
export interface ValidateBackupInput {
  bucket: string;
  /** Key prefix of the backup; `''` means the whole bucket. */
  prefix: string;
  /** The cluster's Region; the bucket must be in it. */
  region: string;
  /** `SourceEngineVersion` of the restore, e.g. `8.0.28` or `8.0`. */
  sourceEngineVersion: string;
  /** Target Aurora version, e.g. `8.0.mysql_aurora.3.04.0`. */
  engineVersion?: string;
  mode: ValidationMode;
}

/** Tunables and hooks of one validation. */
export interface ValidateOptions {
  /**
   * Called as bytes are read (deep mode mostly). `position`, when given, takes the resume point of this very
   * moment (call it synchronously, e.g. to heartbeat it); it is absent where a check cannot resume (tar, gzip).
   */
  onProgress?: (p: { bytesDone: number; bytesTotal: number; position?: () => ResumePoint }) => void;
  /** A resume point an earlier attempt reported: deep mode continues from it (ignored if the backup changed). */
  resume?: unknown;
  /** Aborting stops all reads at once; the promise then rejects with the abort reason. */
  signal?: AbortSignal;
  /** Ranged GETs in flight in deep mode. @default 4 */
  concurrency?: number;
  /** Deep mode's InnoDB page check; false leaves it out (the benchmark compares both). @default true */
  checkPages?: boolean;
}

interface Collected {
  backups: { b: BackupUnderCheck; ok: boolean }[];
  findings: ValidationFinding[];
  bytesVerified?: number;
}

/** Validates the backup under `s3://bucket/prefix`; never throws for backup defects, only for S3 failures. */
export async function validateBackup(
  s3: S3Client,
  input: ValidateBackupInput,
  options: ValidateOptions = {},
): Promise<ValidationReport> {
  const started = Date.now();
  const { signal } = options;
  signal?.throwIfAborted();
  const listed = await listAllObjects(s3, input.bucket, input.prefix, signal);
  const layout = detectLayout(input.bucket, input.prefix, listed);
  const findings = [...layout.findings, ...(await checkRegion(s3, input, signal))];
  const collected = await collect(s3, input, layout, options);
  findings.push(...collected.findings);

  const facts: { location: string; facts: BackupFacts }[] = [];
  for (const { b, ok } of collected.backups) {
    if (!ok) continue;
    const checked = checkBackupMetadata(b, {
      sourceEngineVersion: input.sourceEngineVersion,
      engineVersion: input.engineVersion,
      format: layout.format,
    });
    findings.push(...checked.findings);
    facts.push({ location: b.location, facts: checked.facts });
  }
  const members: ChainMember[] = facts.flatMap((f) =>
    f.facts.checkpoints ? [{ location: f.location, checkpoints: f.facts.checkpoints }] : [],
  );
  const chain = checkChain(members);
  findings.push(...chain.findings);

  const unique = dedupe(findings);
  const base = facts.find((f) => f.location === chain.ordered[0]?.location) ?? facts[0];
  const incrementals = chain.ordered.length - 1;
  const binlog =
    [...chain.ordered]
      .reverse()
      .map((m) => facts.find((f) => f.location === m.location)?.facts.binlog)
      .find((x): x is BinlogCoordinates => x !== undefined) ?? base?.facts.binlog;
  const report: ValidationReport = {
    ok: !unique.some((f) => f.severity === 'error'),
    mode: input.mode,
    bucket: input.bucket,
    prefix: input.prefix,
    format: layout.format,
    objectCount: layout.objects.length,
    totalBytes: layout.objects.reduce((n, o) => n + o.size, 0),
    findings: unique,
    durationMs: 0,
  };
  if (base?.facts.info?.serverVersion !== undefined) report.serverVersion = base.facts.info.serverVersion;
  if (base?.facts.info?.toolVersion !== undefined) report.toolVersion = base.facts.info.toolVersion;
  const type = base?.facts.checkpoints?.backupType;
  if (type !== undefined) report.backupType = incrementals > 0 ? `${type} + ${incrementals} incremental` : type;
  if (binlog !== undefined) report.binlog = binlog;
  if (collected.bytesVerified !== undefined) report.bytesVerified = collected.bytesVerified;
  report.durationMs = Date.now() - started;
  return report;
}

async function collect(
  s3: S3Client,
  input: ValidateBackupInput,
  layout: Layout,
  options: ValidateOptions,
): Promise<Collected> {
  const { signal } = options;
  const where = `s3://${input.bucket}/${input.prefix}`;
  const out: Collected = { backups: [], findings: [] };
  const sseC = async (key: string): Promise<boolean> => {
    if (!(await isSseCustomerKeyObject(s3, input.bucket, key, signal))) return false;
    out.findings.push(
      finding(
        C.SseCustomerKey,
        'error',
        `${key} is encrypted with a customer-provided key (SSE-C), which Aurora cannot use`,
        'Copy the objects with SSE-S3 or SSE-KMS encryption instead.',
        key,
      ),
    );
    return true;
  };
  const fingerprint = backupFingerprint(layout.objects);
  const resume = input.mode === 'deep' && isResumePointFor(options.resume, fingerprint) ? options.resume : undefined;
  let done = resume?.bytesDone ?? 0;
  let position: (() => ResumePoint) | undefined;
  const progress = (total: number) => (n: number) => {
    done += n;
    options.onProgress?.({ bytesDone: done, bytesTotal: total, ...(position ? { position } : {}) });
  };
  if (layout.format === 'directory') {
    const total = input.mode === 'deep' ? layout.roots.reduce((n, r) => n + directoryBytes(r), 0) : 0;
    const rootFindings: ValidationFinding[] = [...(resume?.rootFindings ?? [])];
    if (input.mode === 'deep') out.findings.push(...rootFindings);
    for (const [index, root] of layout.roots.entries()) {
      const probe = root.files.find((f) => f.path === 'xtrabackup_checkpoints') ?? root.files[0];
      if (probe && (await sseC(probe.object.key))) continue;
      const location = `${where}${root.root}`;
      const files = await readRootMetadata(s3, input.bucket, root, signal);
      out.backups.push({ b: { location, files, paths: root.files.map((f) => f.path), pathsComplete: true }, ok: true });
      if (input.mode === 'deep' && index >= (resume?.rootsDone ?? 0)) {
        const cnf = cnfOf(files);
        const read = await readDirectoryDeep(s3, input.bucket, root, {
          concurrency: options.concurrency ?? 4,
          signal,
          onBytes: progress(total),
          pageSize: pageSizeOf(cnf),
          checkPages: options.checkPages !== false,
          resume: index === resume?.rootsDone ? resume.directory : undefined,
          onStart: (take: () => DirectoryPosition) => {
            position = () => ({
              version: 1,
              backup: fingerprint,
              bytesDone: done,
              rootsDone: index,
              rootFindings,
              directory: take(),
            });
          },
        });
        const found = [
          ...checkTablespaceHeads(read.heads, location),
          ...(options.checkPages === false ? [] : pageFindings(read.pages, location, cnf)),
        ];
        rootFindings.push(...found);
        out.findings.push(...found);
      }
    }
    if (input.mode === 'deep') out.bytesVerified = done;
    return out;
  }
  const first = layout.streamParts[0];
  if (!first || (await sseC(first.key))) return out;
  const src: StreamSource = { s3, bucket: input.bucket, parts: layout.streamParts };
  const location = `s3://${input.bucket}/${first.key}`;
  if (input.mode === 'quick') {
    const meta = await readStreamMetadata(src, layout.format, signal);
    out.findings.push(...meta.findings);
    out.backups.push({
      b: { location: `${location}#`, files: meta.captured, paths: meta.paths, pathsComplete: false },
      ok: meta.usable,
    });
    return out;
  }
  const total = streamSize(layout.streamParts);
  const walk = await walkContainer(src, layout.format, {
    signal,
    concurrency: options.concurrency,
    onBytes: progress(total),
    checkPages: options.checkPages !== false,
    resume: resume?.stream,
    onStart: (take: () => StreamPosition | undefined) => {
      if (take() === undefined) return; // tar and tar.gz walks cannot resume
      position = () => ({ version: 1, backup: fingerprint, bytesDone: done, stream: take()! });
    },
  });
  out.bytesVerified = (layout.format === 'xbstream' ? (resume?.stream?.offset ?? 0) : 0) + walk.bytesRead;
  for (const issue of walk.issues) {
    const key = issue.offset === undefined ? first.key : (partAt(layout.streamParts, issue.offset)?.key ?? first.key);
    out.findings.push(
      finding(
        issue.code,
        issue.severity,
        issue.path ? `${issue.message} (file ${issue.path})` : issue.message,
        fixFor(issue.code),
        key,
      ),
    );
  }
  out.findings.push(...checkTablespaceHeads(walk.tablespaceHeads, `${location}#`));
  if (walk.pages) out.findings.push(...pageFindings(walk.pages, `${location}#`, cnfOf(walk.captured)));
  out.findings.push(
    finding(
      C.DeepCheckDone,
      'info',
      `read ${out.bytesVerified} bytes${walk.chunks === undefined ? '' : ` in ${walk.chunks} chunks`}, ${walk.paths.length} files`,
      'Nothing to do.',
      location,
    ),
  );
  out.backups.push({
    b: { location: `${location}#`, files: walk.captured, paths: walk.paths, pathsComplete: true },
    ok: true,
  });
  return out;
}

async function checkRegion(
  s3: S3Client,
  input: ValidateBackupInput,
  signal?: AbortSignal,
): Promise<ValidationFinding[]> {
  const where = `s3://${input.bucket}`;
  const region = await bucketRegion(s3, input.bucket, signal);
  if (region === undefined) {
    return [
      finding(
        C.BucketRegionUnknown,
        'info',
        'the S3 server does not implement GetBucketLocation, so the bucket Region was not checked',
        "Make sure the bucket is in the cluster's Region.",
        where,
      ),
    ];
  }
  if (region !== input.region) {
    return [
      finding(
        C.BucketRegionMismatch,
        'error',
        `the bucket is in ${region} but the cluster is in ${input.region}; Aurora reads backups only from its own Region`,
        `Copy the backup to a bucket in ${input.region}, or restore in ${region}.`,
        where,
      ),
    ];
  }
  return [];
}

function cnfOf(files: Map<string, Buffer>): Map<string, string> | undefined {
  const bytes = files.get('backup-my.cnf');
  return bytes === undefined ? undefined : parseBackupMyCnf(bytes.toString('utf8'));
}

function pageSizeOf(cnf: Map<string, string> | undefined): number | undefined {
  const m = /^(\d+)(k?)$/i.exec(cnf?.get('innodb_page_size') ?? '');
  const n = m ? Number(m[1]) * (m[2] ? 1024 : 1) : Number.NaN;
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

function fixFor(code: string): string {
  if (code === C.XbstreamSparseChunk)
    return "Disable page compression on the table (ALTER TABLE … COMPRESSION='None'; OPTIMIZE TABLE) and take a new backup.";
  if (code === C.XbstreamOffsetGap || code === C.TarNoEndMarker)
    return 'Check that the upload is complete; re-upload the stream if in doubt.';
  return 'The stream is damaged: upload it again from the original (compare sizes and checksums), or take a new backup.';
}

function dedupe(findings: ValidationFinding[]): ValidationFinding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const id = `${f.code}\u0000${f.message}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
