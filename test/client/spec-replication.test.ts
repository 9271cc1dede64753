import { parseSpec } from '../../client/spec';
import { migrationSpecJsonSchema } from '../../client/spec/json-schema';
import { buildOpenApiDocument } from '../../client/http/openapi';
import { specHash, staticDetails } from '../../client/spec-metadata';
import type { MigrationInput, ReplicationSpec } from '../../workflows/types';
import { validSpec } from './spec-fixtures';

const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:repl-AbCdEf';
const REPLICATION_SECRET = 'Repl1ca-S3cret-Value';

function withReplication(replication: unknown): MigrationInput {
  return { ...validSpec(), replication } as MigrationInput;
}

function baseReplication(): ReplicationSpec {
  return { source: { host: 'mysql.internal.example.com', user: 'repl', passwordSecretArn: SECRET_ARN } };
}

function issuesOf(input: unknown, payloadsEncrypted = false): Array<{ path: string; message: string }> {
  const result = parseSpec(input, { payloadsEncrypted });
  return result.ok ? [] : result.issues;
}

describe('the replication section of a spec', () => {
  test('accepts a source with a Secrets Manager password and every option', () => {
    const replication: ReplicationSpec = {
      ...baseReplication(),
      mode: 'gtid',
      cutover: 'automatic',
      maxLagSeconds: 2,
      freezeTimeout: '2m',
      verify: 'counts',
      statusInterval: '5s',
    };
    const result = parseSpec(withReplication(replication));
    expect(result.ok ? result.spec.replication : result.issues).toEqual(replication);
  });

  test.each([
    ['a host with a quote', { host: 'db"x' }, 'replication.source.host'],
    ['a port of 0', { port: 0 }, 'replication.source.port'],
    ['a user name with a space', { user: 'rep l' }, 'replication.source.user'],
    [
      'a secret ARN of another service',
      { passwordSecretArn: 'arn:aws:iam::123456789012:role/x' },
      'replication.source.passwordSecretArn',
    ],
    ['tls as a string', { tls: 'yes' }, 'replication.source.tls'],
    ['a misspelt source field', { hots: 'x' }, 'replication.source.hots'],
  ])('rejects %s, naming the field', (_name, change, path) => {
    const replication = { ...baseReplication(), source: { ...baseReplication().source, ...change } };
    expect(issuesOf(withReplication(replication)).map((i) => i.path)).toContain(path);
  });

  test.each([
    ['an unknown mode', { mode: 'statement' }, 'replication.mode', 'binlog-position or gtid'],
    ['an unknown cutover', { cutover: 'now' }, 'replication.cutover', 'manual or automatic'],
    ['an unknown verify', { verify: 'md5' }, 'replication.verify', 'checksum, counts or none'],
    ['a freezeTimeout under 5s', { freezeTimeout: '1s' }, 'replication.freezeTimeout', 'at least 5s'],
    ['a freezeTimeout over a day', { freezeTimeout: '2d' }, 'replication.freezeTimeout', 'at most 24h'],
    ['a statusInterval under 1s', { statusInterval: 200 }, 'replication.statusInterval', 'at least 1s'],
    ['maxLagSeconds with a manual cutover', { maxLagSeconds: 3 }, 'replication.maxLagSeconds', 'cutover: automatic'],
    [
      'a fractional maxLagSeconds',
      { cutover: 'automatic', maxLagSeconds: 1.5 },
      'replication.maxLagSeconds',
      'whole number',
    ],
    [
      'cutoverTimeout with an automatic cutover',
      { cutover: 'automatic', cutoverTimeout: '1h' },
      'replication.cutoverTimeout',
      'cutover: manual',
    ],
    ['a misspelt option', { verfy: 'none' }, 'replication.verfy', 'did you mean "verify"'],
  ])('rejects %s, naming the field and what is allowed', (_name, change, path, allowed) => {
    const issues = issuesOf(withReplication({ ...baseReplication(), ...change }));
    const issue = issues.find((i) => i.path === path);
    expect(issue?.message).toContain(allowed);
  });

  test('requires a password source, naming passwordSecretArn', () => {
    const issues = issuesOf(withReplication({ source: { host: 'db', user: 'repl' } }));
    expect(issues).toEqual([expect.objectContaining({ path: 'replication.source.passwordSecretArn' })]);
  });

  test('refuses a literal password unless payloads are encrypted, and never echoes it', () => {
    const spec = withReplication({ source: { host: 'db', user: 'repl', password: REPLICATION_SECRET } });
    const refused = parseSpec(spec);
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.issues[0]).toMatchObject({ path: 'replication.source.password' });
      expect(refused.issues[0]!.message).toContain('AURORA_MIGRATE_CODEC_KEYS');
    }
    expect(JSON.stringify(refused)).not.toContain(REPLICATION_SECRET);
    expect(parseSpec(spec, { payloadsEncrypted: true }).ok).toBe(true);
  });

  test('refuses both password forms at once', () => {
    const source = { ...baseReplication().source, password: REPLICATION_SECRET };
    const issues = issuesOf(withReplication({ source }), true);
    expect(issues.map((i) => i.path)).toEqual(['replication.source.password']);
  });

  test('a wrong literal password is never echoed in the issue', () => {
    const result = parseSpec(
      withReplication({ source: { host: 'db', user: 'repl', password: `${REPLICATION_SECRET}"` } }),
    );
    expect(result.ok).toBe(false);
    expect(JSON.stringify(result)).not.toContain(REPLICATION_SECRET);
  });

  test('the spec hash and the Web UI details leave the replication password out', () => {
    const a = withReplication({ source: { host: 'db', user: 'repl', password: REPLICATION_SECRET } });
    const b = withReplication({ source: { host: 'db', user: 'repl', password: 'another-one' } });
    expect(specHash(a)).toBe(specHash(b));
    expect(specHash(a)).not.toBe(specHash(validSpec()));
    expect(staticDetails(a)).toContain('repl@db:3306');
    expect(staticDetails(a)).not.toContain(REPLICATION_SECRET);
  });

  test('the JSON Schema and the OpenAPI document describe the section, password write-only', () => {
    const schema = migrationSpecJsonSchema() as { properties: Record<string, unknown> };
    const replication = schema.properties.replication as {
      properties: Record<string, unknown> & { source: { properties: Record<string, { writeOnly?: boolean }> } };
    };
    expect(Object.keys(replication.properties).sort()).toEqual([
      'cutover',
      'cutoverTimeout',
      'freezeTimeout',
      'maxLagSeconds',
      'mode',
      'source',
      'statusInterval',
      'verify',
    ]);
    expect(replication.properties.source.properties.password?.writeOnly).toBe(true);
    const openapi = JSON.stringify(buildOpenApiDocument());
    expect(openapi).toContain('passwordSecretArn');
    expect(openapi).toContain('freezeTimeout');
  });
});
