/**
 * Why did the restore fail? RDS says so only in its events (DescribeEvents), by message text: the event IDs are
 * not in the API response. We quote the relevant events and map them to the likely fix.
 */
import type { Event, RDSClient } from '@aws-sdk/client-rds';
import { readMigrationEvents } from './migration-events';
import type { ExplainFailureInput, FailureExplanation, QuotedEvent } from './types';

const ADVICE: { pattern: RegExp; advice: string }[] = [
  {
    pattern:
      /unable to create credentials to access your Amazon S3 Bucket|S3 snapshot ingestion IAM role|bucket cannot be found/i,
    advice:
      'RDS could not read the backup: make S3IngestionRoleArn trust rds.amazonaws.com and grant s3:ListBucket, ' +
      "s3:GetBucketLocation and s3:GetObject (and kms:Decrypt for SSE-KMS), and keep the bucket in the cluster's Region.",
  },
  {
    pattern: /Failed to convert .* to InnoDB/i,
    advice: 'Convert MyISAM and other non-InnoDB tables to InnoDB on the source, take a new backup, and retry.',
  },
  {
    pattern: /Failed to migrate from/i,
    advice:
      'Aurora could not use the backup: check that it is a full XtraBackup backup of MySQL (not Percona Server or ' +
      'MariaDB) whose major version matches SourceEngineVersion and the target EngineVersion, uncompressed and ' +
      'unencrypted, with the default innodb_data_file_path and page size. Run `aurora-migrate validate --deep`.',
  },
  {
    pattern: /incompatible resources/i,
    advice:
      'Check the subnet group, security groups, parameter groups and instance classes for this Region and version.',
  },
  {
    pattern: /insufficient resource limits|quota/i,
    advice: 'Raise the account limits named in the event (Service Quotas), then retry.',
  },
  {
    pattern: /KMS|encryption key|inaccessible/i,
    advice: 'Let RDS use the KMS key: enable it and allow the RDS service and your role in its key policy.',
  },
];

/** Reads the cluster's and instances' events since the migration started and derives the likely fix. */
export async function explainFailure(rds: RDSClient, input: ExplainFailureInput): Promise<FailureExplanation> {
  const events = (await readMigrationEvents(rds, input))
    .filter(({ event }) => isRelevant(event))
    .map(({ event, sourceType, sourceId }) => quote(event, sourceType, sourceId));
  events.sort((a, b) => a.date.localeCompare(b.date));
  const advice =
    ADVICE.find((a) => events.some((e) => a.pattern.test(e.message)))?.advice ??
    (events.length === 0
      ? 'RDS recorded no event explaining this (events are best-effort); check the RDS console and the backup with `aurora-migrate validate --deep`.'
      : 'See the RDS events above.');
  return { events, advice };
}

/** Every event but the routine ones: categories vary by event, so we filter on the few we know are noise. */
function isRelevant(event: Event): boolean {
  return !/^DB (cluster|instance) created\.?$/i.test(event.Message ?? '');
}

function quote(event: Event, sourceType: string, sourceId: string): QuotedEvent {
  return {
    date: (event.Date ?? new Date(0)).toISOString(),
    sourceType,
    sourceId: event.SourceIdentifier ?? sourceId,
    message: event.Message ?? '',
  };
}
