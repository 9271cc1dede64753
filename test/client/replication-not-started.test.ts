import { Client, Connection } from '@temporalio/client';
import { InvalidSpecError } from '../../client/errors';
import { startMigration } from '../../client/temporal';
import { loadConfig } from '../../config/app-config';
import { migrationWorkflowId } from '../../workflows/ids';
import type { MigrationInput } from '../../workflows/types';
import { testStack } from '../helpers/stack';
import { validSpec } from './spec-fixtures';

const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:repl-AbCdEf';

describe('a spec asking for replication before catch-up and cutover exist', () => {
  let connection: Connection;
  let client: Client;
  beforeAll(async () => {
    connection = await Connection.connect({ address: testStack().temporal.address });
    client = new Client({ connection, namespace: testStack().temporal.namespace });
  });
  afterAll(() => connection.close());

  test('is refused naming the replication field, and no migration starts', async () => {
    // The master password managed by RDS: a plaintext one would be refused first, without codec keys.
    const base = validSpec('replication-refused');
    const { MasterUserPassword: _plaintext, ...restore } = base.restore;
    const spec = {
      ...base,
      restore: { ...restore, ManageMasterUserPassword: true },
      replication: { source: { host: 'mysql.internal.example.com', user: 'repl', passwordSecretArn: SECRET_ARN } },
    } as MigrationInput;
    const config = loadConfig({ AURORA_MIGRATE_TASK_QUEUE: 'replication-refused' });
    const refusal = await startMigration(client, config, spec).catch((err: unknown) => err);
    expect(refusal).toBeInstanceOf(InvalidSpecError);
    expect((refusal as InvalidSpecError).issues.map((i) => i.path)).toEqual(['replication']);
    expect((refusal as InvalidSpecError).message).toContain('remove the replication section');
    const workflowId = migrationWorkflowId(spec.region, spec.restore.DBClusterIdentifier);
    await expect(client.workflow.getHandle(workflowId).describe()).rejects.toThrow(/not found/i);
  });
});
