/**
 * The stable finding codes of the backup validator and a helper to build findings. Codes are API: the CLI, the
 * HTTP API and tests match on them, so never rename one.
 */
import type { FindingSeverity, ValidationFinding } from '../../workflows/types';

/** Every code the validator can emit, grouped by what it is about. */
export const FindingCodes = {
  // Layout in S3.
  PrefixEmpty: 'PREFIX_EMPTY',
  PrefixAmbiguous: 'PREFIX_AMBIGUOUS',
  XbcloudLayout: 'XBCLOUD_LAYOUT',
  MultipleBackups: 'MULTIPLE_BACKUPS',
  MixedLayout: 'MIXED_LAYOUT',
  StrayObject: 'STRAY_OBJECT',
  UnsupportedContainer: 'UNSUPPORTED_CONTAINER',
  SplitPartGap: 'SPLIT_PART_GAP',
  ContainerMagicMismatch: 'CONTAINER_MAGIC_MISMATCH',
  NestedArchive: 'NESTED_ARCHIVE',
  TarStreamForMysql80: 'TAR_STREAM_FOR_MYSQL80',
  StorageClassArchived: 'STORAGE_CLASS_ARCHIVED',
  SseCustomerKey: 'SSE_C_OBJECT',
  TooManyObjects: 'TOO_MANY_OBJECTS',
  ObjectTooLarge: 'OBJECT_TOO_LARGE',
  BackupTooLarge: 'BACKUP_TOO_LARGE',
  BucketRegionMismatch: 'BUCKET_REGION_MISMATCH',
  BucketRegionUnknown: 'BUCKET_REGION_UNKNOWN',
  StreamMetadataNotRead: 'STREAM_METADATA_NOT_READ',
  // Required files and metadata.
  CheckpointsMissing: 'CHECKPOINTS_MISSING',
  CheckpointsInvalid: 'CHECKPOINTS_INVALID',
  InfoMissing: 'XTRABACKUP_INFO_MISSING',
  BackupMyCnfMissing: 'BACKUP_MY_CNF_MISSING',
  LogfileMissing: 'XTRABACKUP_LOGFILE_MISSING',
  IbdataMissing: 'IBDATA1_MISSING',
  MysqlSchemaMissing: 'MYSQL_SCHEMA_MISSING',
  // Source and tool versions.
  MariadbSource: 'MARIADB_SOURCE',
  SourceVersionTooNew: 'SOURCE_VERSION_TOO_NEW',
  SourceVersionTooOld: 'SOURCE_VERSION_TOO_OLD',
  ServerVersionUnknown: 'SERVER_VERSION_UNKNOWN',
  PerconaServerSource: 'PERCONA_SERVER_SOURCE',
  SourceEngineVersionMismatch: 'SOURCE_ENGINE_VERSION_MISMATCH',
  SourceEngineMinorMismatch: 'SOURCE_ENGINE_MINOR_MISMATCH',
  TargetEngineMajorMismatch: 'TARGET_ENGINE_MAJOR_MISMATCH',
  TargetEngineTooOld: 'TARGET_ENGINE_TOO_OLD',
  TargetEngineUnknown: 'TARGET_ENGINE_UNKNOWN',
  ToolVersionMismatch: 'TOOL_VERSION_MISMATCH',
  ToolOlderThanServer: 'TOOL_OLDER_THAN_SERVER',
  // Backup kind.
  IncrementalWithoutFull: 'INCREMENTAL_WITHOUT_FULL',
  IncrementalChainBroken: 'INCREMENTAL_CHAIN_BROKEN',
  IncrementalBasePrepared: 'INCREMENTAL_BASE_PREPARED',
  PartialBackup: 'PARTIAL_BACKUP',
  BackupPrepared: 'BACKUP_PREPARED',
  CompactBackup: 'COMPACT_BACKUP',
  XtrabackupCompressed: 'XTRABACKUP_COMPRESSED',
  XtrabackupEncrypted: 'XTRABACKUP_ENCRYPTED',
  // InnoDB settings and table formats.
  PageSizeUnsupported: 'INNODB_PAGE_SIZE_UNSUPPORTED',
  DataFilePathUnsupported: 'INNODB_DATA_FILE_PATH_UNSUPPORTED',
  LogFilesInGroupUnsupported: 'INNODB_LOG_FILES_IN_GROUP_UNSUPPORTED',
  SourceEncrypted: 'SOURCE_ENCRYPTED',
  ExternalTablespace: 'EXTERNAL_TABLESPACE',
  MyisamTables: 'MYISAM_TABLES',
  CompressedTable: 'COMPRESSED_TABLE',
  EncryptedTablespace: 'ENCRYPTED_TABLESPACE',
  // Deep mode: container integrity.
  XbstreamBadMagic: 'XBSTREAM_BAD_MAGIC',
  XbstreamCrcMismatch: 'XBSTREAM_CRC_MISMATCH',
  XbstreamTruncated: 'XBSTREAM_TRUNCATED',
  XbstreamFileNotClosed: 'XBSTREAM_FILE_NOT_CLOSED',
  XbstreamSparseChunk: 'XBSTREAM_SPARSE_CHUNK',
  XbstreamUnknownChunk: 'XBSTREAM_UNKNOWN_CHUNK',
  XbstreamBadPath: 'XBSTREAM_BAD_PATH',
  XbstreamOffsetGap: 'XBSTREAM_OFFSET_GAP',
  XbstreamDuplicateFile: 'XBSTREAM_DUPLICATE_FILE',
  TarBadChecksum: 'TAR_BAD_CHECKSUM',
  TarTruncated: 'TAR_TRUNCATED',
  TarNoEndMarker: 'TAR_NO_END_MARKER',
  GzipCorrupt: 'GZIP_CORRUPT',
  DeepCheckDone: 'DEEP_CHECK_DONE',
  // Deep mode: InnoDB pages (every page of every tablespace).
  InnodbPageCorrupt: 'INNODB_PAGE_CORRUPT',
  InnodbPageLsnMismatch: 'INNODB_PAGE_LSN_MISMATCH',
  InnodbPageMisplaced: 'INNODB_PAGE_MISPLACED',
  InnodbTablespaceTruncated: 'INNODB_TABLESPACE_TRUNCATED',
  InnodbPagesChecked: 'INNODB_PAGES_CHECKED',
  InnodbPageCheckSkipped: 'INNODB_PAGE_CHECK_SKIPPED',
  InnodbChecksumAlgorithmMixed: 'INNODB_CHECKSUM_ALGORITHM_MIXED',
} as const;

/** One finding code. */
export type FindingCode = (typeof FindingCodes)[keyof typeof FindingCodes];

/** Builds a finding; `path` is omitted when not given so reports stay compact. */
export function finding(
  code: FindingCode,
  severity: FindingSeverity,
  message: string,
  fix: string,
  path?: string,
): ValidationFinding {
  return path === undefined ? { code, severity, message, fix } : { code, severity, path, message, fix };
}
