/**
 * How the backup's objects are encrypted, read from one object's headers (ListObjectsV2 + HeadObject), so that
 * the IAM check can ask for kms:Decrypt when they are SSE-KMS. Runs after the Region check.
 */
import { HeadObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { MigrationInput, ValidationFinding } from '../../workflows/types';
import { awsErrorFacts } from '../aws-errors';
import { preflightFinding as f, PreflightCodes as C } from './findings';

/** One object of the backup and its SSE-KMS key, when it has one. */
export interface BackupEncryption {
  /** A key under the prefix: the object whose read permission is checked. */
  sampleKey?: string;
  /** The KMS key ARN of SSE-KMS objects; undefined for SSE-S3 or no encryption. */
  kmsKeyArn?: string;
  /**
   * A warning when the headers could not be read, an info when the server did not name the encryption
   * (kms:Decrypt is then not checked).
   */
  findings: ValidationFinding[];
}

/** Reads the first object's encryption under the spec's bucket and prefix. */
export async function readBackupEncryption(s3: S3Client, spec: MigrationInput): Promise<BackupEncryption> {
  const bucket = spec.restore.S3BucketName;
  const prefix = spec.restore.S3Prefix ?? '';
  try {
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, MaxKeys: 1 }));
    const key = listed.Contents?.[0]?.Key;
    if (!key) return { findings: [] };
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    if (head.ServerSideEncryption === undefined) {
      // Amazon S3 encrypts every object (SSE-S3 at least, since January 2023) and names the method in every
      // HeadObject answer. A server that names none (versitygw's posix backend drops the SSE headers) leaves
      // kms:Decrypt unknown: say so rather than pass it silently.
      return {
        sampleKey: key,
        findings: [
          f(
            C.BackupEncryptionUnknown,
            'info',
            'restore.S3BucketName',
            `The S3 server did not say how s3://${bucket}/${key} is encrypted (HeadObject has no x-amz-server-side-encryption, which Amazon S3 always sends), so whether the ingestion role needs kms:Decrypt was not checked.`,
            "If the backup's objects are SSE-KMS, make sure S3IngestionRoleArn may kms:Decrypt with their key.",
          ),
        ],
      };
    }
    const kms = head.ServerSideEncryption === 'aws:kms' || head.ServerSideEncryption === 'aws:kms:dsse';
    return { sampleKey: key, kmsKeyArn: kms ? head.SSEKMSKeyId : undefined, findings: [] };
  } catch (err) {
    const { name, message } = awsErrorFacts(err);
    return {
      findings: [
        f(
          C.BackupEncryptionUnknown,
          'warning',
          'restore.S3BucketName',
          `Could not read how s3://${bucket}/${prefix} is encrypted (${name}: ${message}), so whether the ingestion role needs kms:Decrypt was not checked.`,
          'Let the worker s3:ListBucket and s3:GetObject on the backup (the backup report says more), or check kms:Decrypt by hand if the objects are SSE-KMS.',
        ),
      ],
    };
  }
}
