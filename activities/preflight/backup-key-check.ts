/**
 * The KMS key of SSE-KMS backup objects (named by their HeadObject): RDS, acting as the ingestion role, decrypts
 * every object with it, so it must exist and be enabled (DescribeKey, read-only). Whether the role may use it
 * is the IAM permission check's (kms:Decrypt); this one finds the key that nobody can use.
 */
import type { KMSClient } from '@aws-sdk/client-kms';
import type { ValidationFinding } from '../../workflows/types';
import { guarded, preflightFinding as f, PreflightCodes as C, reachable } from './findings';
import { describeKey } from './kms-checks';

const FIELD = 'restore.S3BucketName';

/**
 * Checks the key `keyArn` that `objectUrl` (s3://bucket/key) is encrypted with. A caller without
 * kms:DescribeKey on it (a key of another account whose policy does not name the worker) gets a warning naming
 * the permission; KMS that does not answer, a warning naming the service.
 */
export function checkBackupKey(kms: KMSClient, keyArn: string, objectUrl: string): Promise<ValidationFinding[]> {
  return reachable('KMS', FIELD, () =>
    guarded('kms:DescribeKey', FIELD, async () => {
      const metadata = await describeKey(kms, keyArn);
      if (!metadata) {
        return [
          f(
            C.KmsKeyNotFound,
            'error',
            FIELD,
            `${objectUrl} is SSE-KMS encrypted with ${keyArn}, which does not exist (or the caller cannot see it): RDS cannot decrypt the backup.`,
            "Restore the key if it is pending deletion, or re-encrypt the backup's objects with a key RDS may use (aws s3 cp --sse aws:kms --sse-kms-key-id …).",
          ),
        ];
      }
      if (metadata.KeyState !== 'Enabled') {
        return [
          f(
            C.KmsKeyNotEnabled,
            'error',
            FIELD,
            `${objectUrl} is SSE-KMS encrypted with ${metadata.Arn ?? keyArn}, which is ${metadata.KeyState ?? 'not enabled'}: RDS cannot decrypt the backup.`,
            metadata.KeyState === 'PendingDeletion'
              ? 'Cancel its deletion (aws kms cancel-key-deletion) and enable it (aws kms enable-key).'
              : 'Enable it (aws kms enable-key), or re-encrypt the backup with an enabled key.',
          ),
        ];
      }
      return [];
    }),
  );
}
