/**
 * The dry run (`aurora-migrate validate`, the compiled CLI as a child process) with a `replication` section
 * checks the source MySQL too: a real source without a binary log shows its error finding on
 * `replication.source.host`, beside the pre-flight's, with the exit code of a refused migration; the
 * replication password (read from Secrets Manager in moto) appears nowhere in the output.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { SourceCodes } from '../../activities/preflight/source-codes';
import type { ValidationFinding } from '../../workflows/types';
import { useSourceMysql } from '../helpers/source-mysql';
import { testS3Client, testSecretsClient, testStack, uniqueName } from '../helpers/stack';
import { cliEnv, runCli } from './cli-helpers';
import { validSpec } from './spec-fixtures';

const source = useSourceMysql('8.0', { binlog: false, gtid: false });
// The replication password's secret is in the stack's moto.
const env = { ...cliEnv(uniqueName('dry-run-source')), AURORA_MIGRATE_SECRETS_ENDPOINT: testStack().moto.endpoint };

function specFile(spec: unknown): string {
  const file = join(testStack().scratchDir, `${uniqueName('spec')}.json`);
  writeFileSync(file, JSON.stringify(spec));
  return file;
}

describe('aurora-migrate validate with a replication section', () => {
  test('reports the source without a binary log as an error on replication.source.host, and exits 1', async () => {
    const secrets = testSecretsClient();
    const { ARN } = await secrets.send(
      new CreateSecretCommand({ Name: uniqueName('repl'), SecretString: source().admin.password }),
    );
    secrets.destroy();
    const bucket = uniqueName('dry-run-source');
    await testS3Client().send(new CreateBucketCommand({ Bucket: bucket }));
    const spec = validSpec(uniqueName('c'), {
      replication: { source: { host: source().host, port: source().port, user: 'admin', passwordSecretArn: ARN! } },
    });
    spec.restore.S3BucketName = bucket;

    const text = await runCli(['validate', specFile(spec)], env);
    expect(text.stderr).toBe('');
    expect(text.code).toBe(1);
    expect(text.stdout).toContain(`ERROR ${SourceCodes.BinlogOff} at replication.source.host:`);
    expect(text.stdout).toContain('fix: In the source’s my.cnf [mysqld] set log-bin=mysql-bin');

    const json = await runCli(['validate', specFile(spec), '--json'], env);
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout) as {
      ok: boolean;
      preflight: { ok: boolean; findings: ValidationFinding[] };
    };
    expect(report.ok).toBe(false);
    expect(report.preflight.ok).toBe(false);
    expect(report.preflight.findings).toContainEqual(
      expect.objectContaining({ code: SourceCodes.BinlogOff, severity: 'error', path: 'replication.source.host' }),
    );
    for (const output of [text.stdout, text.stderr, json.stdout, json.stderr]) {
      expect(output).not.toContain(source().admin.password);
    }
  });
});
