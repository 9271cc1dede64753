/** ARNs, resource ids and endpoint host names in the formats RDS uses. */
import { createHash, randomBytes, randomUUID } from 'node:crypto';

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** A random upper-case suffix like those in `cluster-XXXX` / `db-XXXX` resource ids. */
export function randomResourceSuffix(length = 26): string {
  return [...randomBytes(length)].map((b) => ID_ALPHABET[b % ID_ALPHABET.length]).join('');
}

/** The stable 12-character hash RDS puts in every endpoint of one account and Region. */
export function endpointHashFor(accountId: string, region: string): string {
  return 'c' + createHash('sha256').update(`${accountId}:${region}`).digest('hex').slice(0, 11);
}

/** `arn:aws:rds:<region>:<account>:cluster:<id>`. */
export function clusterArn(region: string, accountId: string, id: string): string {
  return `arn:aws:rds:${region}:${accountId}:cluster:${id}`;
}

/** `arn:aws:rds:<region>:<account>:db:<id>`. */
export function instanceArn(region: string, accountId: string, id: string): string {
  return `arn:aws:rds:${region}:${accountId}:db:${id}`;
}

/** The parts of an RDS ARN the emulator understands, or undefined for anything else. */
export function parseRdsArn(arn: string): { kind: 'cluster' | 'db'; id: string } | undefined {
  const match = /^arn:aws[a-z-]*:rds:[^:]*:\d*:(cluster|db):([^:]+)$/.exec(arn);
  if (!match) return undefined;
  return { kind: match[1] as 'cluster' | 'db', id: (match[2] ?? '').toLowerCase() };
}

/** The Secrets Manager ARN of a cluster's managed master password. */
export function masterSecretArn(region: string, accountId: string): string {
  return `arn:aws:secretsmanager:${region}:${accountId}:secret:rds!cluster-${randomUUID()}-${randomResourceSuffix(6)}`;
}

/** A KMS key ARN for a generated (default) key. */
export function defaultKmsKeyArn(region: string, accountId: string): string {
  return `arn:aws:kms:${region}:${accountId}:key/${randomUUID()}`;
}
