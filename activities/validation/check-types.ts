/** The shapes the pure backup checks share: one backup under check, the validation context, the facts read. */
import type { BackupFormat, BinlogCoordinates } from '../../workflows/types';
import type { Checkpoints, XtrabackupInfo } from '../xtrabackup/metadata';

/** One backup (a full or an incremental) as the checks see it. */
export interface BackupUnderCheck {
  /** `s3://bucket/key-prefix/` or the stream object's key: where findings point. */
  location: string;
  /** Captured metadata files by name (`xtrabackup_info` → bytes). */
  files: Map<string, Buffer>;
  /** Relative paths of the backup's files, when known. */
  paths: string[];
  /** True when `paths` lists every file (directory layout, or a full stream walk). */
  pathsComplete: boolean;
}

/** Context shared by all backups of one validation. */
export interface CheckContext {
  sourceEngineVersion: string;
  engineVersion?: string;
  format: BackupFormat;
}

/** Facts read from one backup's metadata. */
export interface BackupFacts {
  checkpoints?: Checkpoints;
  info?: XtrabackupInfo;
  binlog?: BinlogCoordinates;
}
