import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildOpenApiDocument } from '../../client/http/openapi';
import { formatSpecIssues, loadSpecFile, parseSpec, SpecFileError } from '../../client/spec';
import { migrationSpecJsonSchema } from '../../client/spec/json-schema';
import { applyCase, invalidCases, SECRET_PASSWORD, validSpec } from './spec-fixtures';

const examples = join(__dirname, '..', '..', 'client', 'spec', 'examples');

function passwordIn(spec: unknown): string | undefined {
  const password = (spec as { restore?: { MasterUserPassword?: unknown } }).restore?.MasterUserPassword;
  return typeof password === 'string' ? password : undefined;
}

describe('parseSpec', () => {
  test('the invalid table has at least 40 cases', () => {
    expect(invalidCases.length).toBeGreaterThanOrEqual(40);
  });

  test.each(invalidCases.map((c) => [c.name, c] as const))('rejects a spec with %s, naming the field', (_name, c) => {
    const input = applyCase(c);
    const result = parseSpec(input);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((i) => i.path)).toContain(c.path);
    for (const issue of result.issues) expect(issue.message.length).toBeGreaterThan(5);
    const password = passwordIn(input);
    if (password) expect(JSON.stringify(result.issues)).not.toContain(password);
  });

  test('accepts the valid base spec and keeps the given password', () => {
    const result = parseSpec(validSpec());
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.spec.restore.ManageMasterUserPassword).toBeUndefined();
  });

  test('defaults ManageMasterUserPassword to true when no password is given', () => {
    const spec = validSpec();
    delete spec.restore.MasterUserPassword;
    const result = parseSpec(spec);
    expect(result.ok && result.spec.restore.ManageMasterUserPassword).toBe(true);
  });

  test('accepts an instance identifier equal to the cluster identifier', () => {
    const spec = validSpec('orders');
    spec.instances[0]!.DBInstanceIdentifier = 'orders';
    expect(parseSpec(spec).ok).toBe(true);
  });

  test('suggests the closest known name for a misspelt field', () => {
    const result = parseSpec({ ...validSpec(), restore: { ...validSpec().restore, S3Prefx: 'x' } });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(formatSpecIssues(result.issues)).toContain('did you mean "S3Prefix"?');
  });

  test('uses the default Region when the spec names none', () => {
    const { region: _region, ...spec } = validSpec();
    const result = parseSpec(spec, { defaultRegion: 'eu-west-1' });
    expect(result.ok && result.spec.region).toBe('eu-west-1');
  });

  test('never echoes the password, even when the password itself is what is wrong', () => {
    const spec = validSpec();
    spec.restore.MasterUserPassword = `${SECRET_PASSWORD}/with-slash`;
    const result = parseSpec(spec);
    expect(result.ok).toBe(false);
    expect(JSON.stringify(result)).not.toContain(SECRET_PASSWORD);
  });

  test('rejects a spec that is not an object, naming the whole spec', () => {
    const result = parseSpec('restore please');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues[0]!.path).toBe('');
  });
});

describe('spec files', () => {
  test.each(['minimal.json', 'serverless.yaml', 'master-password-secret.json'])(
    'the example %s is a valid spec',
    async (file) => {
      const result = parseSpec(await loadSpecFile(join(examples, file)));
      expect(result.ok ? [] : result.issues).toEqual([]);
    },
  );

  test('the JSON Schema and the OpenAPI document describe restore.MasterUserPasswordSecretArn as a secret ARN', () => {
    const restore = (
      migrationSpecJsonSchema() as { properties: { restore: { properties: Record<string, { pattern?: string }> } } }
    ).properties.restore.properties;
    expect(restore.MasterUserPasswordSecretArn?.pattern).toContain('secretsmanager');
    const openapi = JSON.stringify(buildOpenApiDocument());
    expect(openapi).toContain('"MasterUserPasswordSecretArn"');
  });

  test('a spec naming its master password by secret is not given ManageMasterUserPassword, even without a codec', async () => {
    const result = parseSpec(await loadSpecFile(join(examples, 'master-password-secret.json')), {
      payloadsEncrypted: false,
    });
    expect(result.ok && result.spec.restore.ManageMasterUserPassword).toBeUndefined();
    expect(result.ok && result.spec.restore.MasterUserPasswordSecretArn).toMatch(/^arn:aws:secretsmanager:/);
  });

  test('a missing file is a SpecFileError naming the file', async () => {
    await expect(loadSpecFile('/nonexistent/spec.json')).rejects.toThrow(SpecFileError);
    await expect(loadSpecFile('/nonexistent/spec.json')).rejects.toThrow('/nonexistent/spec.json: no such file');
  });

  test('the committed JSON Schema is up to date with the zod schema', () => {
    const committed = readFileSync(join(__dirname, '..', '..', 'client', 'spec', 'migration-spec.schema.json'), 'utf8');
    expect(JSON.parse(committed)).toEqual(migrationSpecJsonSchema());
  });
});
