/**
 * What a migration records about its spec at start: a hash that identifies the spec without the password, and
 * the Web UI summary and details. None of it may contain the password.
 */
import { createHash } from 'node:crypto';
import type { MigrationInput } from '../workflows/types';

/** sha256 (hex) of the spec without its passwords (master, replication), keys sorted: equal specs, equal hashes. */
export function specHash(spec: MigrationInput): string {
  const { MasterUserPassword: _secret, ...restore } = spec.restore;
  const withoutSecrets: Record<string, unknown> = { ...spec, restore };
  if (spec.replication) {
    const { password: _replicationSecret, ...source } = spec.replication.source;
    withoutSecrets.replication = { ...spec.replication, source };
  }
  return createHash('sha256').update(canonicalJson(withoutSecrets)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** `s3://bucket/prefix` of the backup. */
export function sourceUri(spec: MigrationInput): string {
  return `s3://${spec.restore.S3BucketName}/${spec.restore.S3Prefix ?? ''}`;
}

/** One line for the Web UI's list view (at most 200 bytes). */
export function staticSummary(spec: MigrationInput): string {
  const line = `${spec.restore.DBClusterIdentifier} ← ${sourceUri(spec)} (MySQL ${spec.restore.SourceEngineVersion})`;
  return Buffer.byteLength(line) <= 200 ? line : `${Buffer.from(line).subarray(0, 196).toString()}…`;
}

/** Markdown for the Web UI's details panel: cluster, source, versions, instances, options. No password. */
export function staticDetails(spec: MigrationInput): string {
  const { restore, options = {} } = spec;
  const lines = [
    `### Migration of \`${restore.DBClusterIdentifier}\` (${spec.region})`,
    '',
    `- **Source:** \`${sourceUri(spec)}\` (MySQL ${restore.SourceEngineVersion})`,
    `- **Target:** Aurora MySQL ${restore.EngineVersion ?? '(default version)'}`,
    `- **Ingestion role:** \`${restore.S3IngestionRoleArn}\``,
    `- **Master user:** \`${restore.MasterUsername}\` (${masterPasswordSource(restore)})`,
  ];
  if (restore.ServerlessV2ScalingConfiguration) {
    const { MinCapacity, MaxCapacity } = restore.ServerlessV2ScalingConfiguration;
    lines.push(`- **Serverless v2:** ${MinCapacity}–${MaxCapacity} ACU`);
  }
  if (spec.replication) {
    const { source, mode = 'binlog-position', cutover = 'manual', verify = 'checksum' } = spec.replication;
    lines.push(
      `- **Replication:** from \`${source.user}@${source.host}:${source.port ?? 3306}\`${source.tls ? ' over TLS' : ''} ` +
        `(${mode}); cutover ${cutover}, verify ${verify}; password ${source.passwordSecretArn ? 'in Secrets Manager' : 'given, encrypted in payloads'}`,
    );
  }
  lines.push(
    `- **Validation:** ${options.validation ?? 'quick'}; **on failure:** ${options.onFailure ?? 'retain'}` +
      (options.requireApproval ? '; **approval required**' : ''),
    '',
    spec.instances.length ? '| Instance | Class | Role |' : '_No instances: cluster only._',
  );
  if (spec.instances.length) lines.push('|---|---|---|');
  spec.instances.forEach((instance, index) => {
    lines.push(
      `| \`${instance.DBInstanceIdentifier}\` | ${instance.DBInstanceClass} | ${index ? 'reader' : 'writer'} |`,
    );
  });
  return lines.join('\n');
}

function masterPasswordSource(restore: MigrationInput['restore']): string {
  if (restore.ManageMasterUserPassword) return 'password managed by RDS in Secrets Manager';
  if (restore.MasterUserPasswordSecretArn) return `password read from \`${restore.MasterUserPasswordSecretArn}\``;
  return 'password given, encrypted in payloads';
}
