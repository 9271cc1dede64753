/**
 * The bucket check RestoreDBClusterFromS3 does before accepting a restore: the bucket must exist and hold
 * something under the prefix. Whether the objects look like an XtraBackup backup decides the later outcome.
 */
import { HeadBucketCommand, ListObjectsV2Command, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { RdsFault } from './errors';

/** Where the emulator's S3 checks go. */
export interface S3CheckOptions {
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

/** What the check found. */
export interface S3CheckResult {
  /** False when no object under the prefix looks like XtraBackup output: the restore will end `migration-failed`. */
  looksLikeBackup: boolean;
  /** Total size of every object under the prefix. */
  totalBytes: number;
}

/** Names of objects that mark a readable XtraBackup backup. */
const BACKUP_OBJECT =
  /(^|\/)xtrabackup_checkpoints$|\.xbstream(\.\d+)?$|\.tar(\.\d+)?$|\.tar\.gz(\.\d+)?$|\.gz(\.\d+)?$/;

/** Checks buckets on one S3 server with one client (reused across calls). */
export class S3Checker {
  private readonly client: S3Client;

  constructor(options: S3CheckOptions) {
    this.client = new S3Client({
      endpoint: options.endpoint,
      region: options.region,
      forcePathStyle: true,
      maxAttempts: 2,
      credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey },
    });
  }

  /** Raises `InvalidS3BucketFault` when the bucket is missing or empty under the prefix. */
  async check(bucket: string, prefix: string | undefined): Promise<S3CheckResult> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: bucket }));
      const first = await this.client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, MaxKeys: 1 }));
      if (!first.Contents?.length) {
        throw new RdsFault(
          'InvalidS3BucketFault',
          `The specified Amazon S3 bucket ${bucket} contains no files under the prefix ${prefix ?? ''}.`,
        );
      }
      // Every page: the size decides how long the restore takes; the first pages recognise a backup.
      let looksLikeBackup = false;
      let totalBytes = 0;
      let token: string | undefined;
      do {
        const page = await this.client.send(
          new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, MaxKeys: 1000, ContinuationToken: token }),
        );
        for (const o of page.Contents ?? []) {
          totalBytes += o.Size ?? 0;
          if (BACKUP_OBJECT.test(o.Key ?? '')) looksLikeBackup = true;
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return { looksLikeBackup, totalBytes };
    } catch (err) {
      if (err instanceof RdsFault) throw err;
      if (err instanceof S3ServiceException && err.$fault === 'client') {
        throw new RdsFault(
          'InvalidS3BucketFault',
          `The specified Amazon S3 bucket ${bucket} cannot be found or Amazon RDS is not authorized to access it.`,
        );
      }
      throw new RdsFault('InternalFailure', 'The S3 bucket could not be checked; try again.', 500);
    }
  }

  /** Releases the client's sockets. */
  destroy(): void {
    this.client.destroy();
  }
}
