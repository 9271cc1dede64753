import { createServer } from 'node:net';
import { CreateKeyCommand } from '@aws-sdk/client-kms';
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { loadConfig } from '../../config/app-config';
import { ActivityMetrics } from '../../activities/metrics';
import { WorkflowMetrics } from '../../workflows/metric-names';
import { WORKFLOW_TYPE } from '../../workflows/ids';
import {
  addEmulatorRule,
  connectTestClient,
  sampleSpec,
  TEST_CODEC_KEYS,
  uploadDirectoryBackup,
  waitForStep,
} from '../helpers/migration';
import { testSecretsClient, testStack, uniqueName } from '../helpers/stack';
import { freePort } from '../../scripts/stack/ports';
import { spawnWorkerProcess } from '../helpers/worker-process';
import { NODE_SUPPORT_WARNING } from '../helpers/node-support-warning';
import { testKmsClient } from '../activities/preflight-helpers';
import { parseExposition, total, type Sample } from '../helpers/prometheus';

describe("the worker's Prometheus endpoint", () => {
  test('counts RDS requests by action, a throttled request apart, steps, the outcome, validation bytes and waits during a real migration', async () => {
    const port = await freePort();
    const config = loadConfig({ AURORA_MIGRATE_TASK_QUEUE: uniqueName('tq') });
    const worker = spawnWorkerProcess(config, undefined, { AURORA_MIGRATE_METRICS_PORT: String(port) });
    const client = await connectTestClient();
    const scrape = async (): Promise<{ text: string; samples: Sample[] }> => {
      const response = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(response.status).toBe(200);
      const text = await response.text();
      return { text, samples: parseExposition(text) };
    };
    try {
      await worker.started;
      // The worker built its RDS, S3, IAM and KMS clients: the SDK would have warned on an unsupported Node.
      expect(worker.output()).not.toMatch(NODE_SUPPORT_WARNING);
      const spec = sampleSpec({
        ...(await uploadDirectoryBackup({ version: '5.7' })),
        readers: 1,
        options: { validation: 'deep' },
      });
      const clusterId = spec.restore.DBClusterIdentifier;
      // RDS answers the first restore attempt with Throttling; the SDK retries it.
      await addEmulatorRule({
        match: { action: 'RestoreDBClusterFromS3', clusterId },
        fault: { type: 'throttle', count: 1 },
      });
      const before = (await scrape()).samples;
      expect(total(before, ActivityMetrics.awsRequests)).toBe(0);
      expect(total(before, WorkflowMetrics.migrations)).toBe(0);

      const handle = await client.workflow.start(WORKFLOW_TYPE, {
        taskQueue: config.taskQueue,
        workflowId: `aurora-migrate:us-east-1:${clusterId}`,
        args: [spec],
      });
      await waitForStep(handle, 'waiting-for-cluster');
      const during = (await scrape()).samples;
      const restore = { service: 'rds', action: 'RestoreDBClusterFromS3' };
      expect(total(during, ActivityMetrics.awsRequests, { ...restore, outcome: 'throttled' })).toBe(1);
      expect(total(during, ActivityMetrics.awsRequests, { ...restore, outcome: 'ok' })).toBe(1);
      expect(total(during, ActivityMetrics.awsRequests, { service: 's3', outcome: 'ok' })).toBeGreaterThan(0);
      expect(total(during, ActivityMetrics.validationBytes, { mode: 'deep' })).toBeGreaterThan(0);
      expect(total(during, WorkflowMetrics.steps, { step: 'validating' })).toBe(1);
      expect(total(during, WorkflowMetrics.steps, { step: 'waiting-for-cluster' })).toBe(1);
      expect(total(during, WorkflowMetrics.migrations)).toBe(0);

      await handle.result();
      // Workflow metrics leave the sandbox with the activation; give the exporter a moment to see the last one.
      let after = (await scrape()).samples;
      for (let i = 0; i < 50 && total(after, WorkflowMetrics.migrations) === 0; i += 1) {
        await new Promise((r) => setTimeout(r, 100));
        after = (await scrape()).samples;
      }
      expect(total(after, WorkflowMetrics.migrations, { outcome: 'completed' })).toBe(1);
      expect(total(after, WorkflowMetrics.migrations, { outcome: 'failed' })).toBe(0);
      expect(total(after, WorkflowMetrics.steps, { step: 'completed' })).toBe(1);
      const creates = { service: 'rds', action: 'CreateDBInstance', outcome: 'ok' };
      expect(total(after, ActivityMetrics.awsRequests, creates)).toBe(2);
      expect(total(after, ActivityMetrics.awsRequests, { service: 'rds', outcome: 'ok' })).toBeGreaterThan(
        total(during, ActivityMetrics.awsRequests, { service: 'rds', outcome: 'ok' }),
      );
      const waitCount = `${WorkflowMetrics.waitDuration}_count`;
      expect(total(after, waitCount, { resource: 'cluster', outcome: 'available' })).toBe(1);
      expect(total(after, waitCount, { resource: 'instances', outcome: 'available' })).toBe(1);
      expect(total(after, `${WorkflowMetrics.waitDuration}_sum`, { resource: 'cluster' })).toBeGreaterThan(0);
      // Temporal's own metrics are on the same endpoint.
      expect(after.some((s) => s.name.startsWith('temporal_'))).toBe(true);
    } finally {
      await worker.kill('SIGTERM');
      await client.connection.close();
    }
  });

  test('counts the Secrets Manager read of the master password and the pre-flight IAM and KMS calls by action, as RDS and S3 are', async () => {
    const port = await freePort();
    const config = loadConfig({ AURORA_MIGRATE_TASK_QUEUE: uniqueName('tq') });
    const worker = spawnWorkerProcess(config, undefined, {
      AURORA_MIGRATE_METRICS_PORT: String(port),
      AURORA_MIGRATE_SECRETS_ENDPOINT: testStack().moto.endpoint,
    });
    const client = await connectTestClient();
    const secrets = testSecretsClient();
    const kms = testKmsClient();
    try {
      await worker.started;
      const password = `pw-${uniqueName('secret')}`;
      const { ARN } = await secrets.send(
        new CreateSecretCommand({ Name: uniqueName('master'), SecretString: JSON.stringify({ password }) }),
      );
      const spec = sampleSpec(await uploadDirectoryBackup({ version: '5.7' }));
      delete spec.restore.ManageMasterUserPassword;
      spec.restore.MasterUserPasswordSecretArn = ARN!;
      const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Description: 'metrics test' }));
      spec.restore.StorageEncrypted = true;
      spec.restore.KmsKeyId = KeyMetadata!.Arn!;
      const before = parseExposition(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text());
      expect(total(before, ActivityMetrics.awsRequests, { service: 'secretsmanager' })).toBe(0);
      await client.workflow.execute(WORKFLOW_TYPE, {
        taskQueue: config.taskQueue,
        workflowId: `aurora-migrate:us-east-1:${spec.restore.DBClusterIdentifier}`,
        args: [spec],
      });
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      const samples = parseExposition(text);
      // The restore reads the secret once, inside its activity.
      const read = { service: 'secretsmanager', action: 'GetSecretValue' };
      expect(total(samples, ActivityMetrics.awsRequests, { ...read, outcome: 'ok' })).toBe(1);
      expect(total(samples, ActivityMetrics.awsRequests, read)).toBe(1);
      // The pre-flight reads the ingestion role from IAM once (the stack's moto answers it).
      const role = { service: 'iam', action: 'GetRole', outcome: 'ok' };
      expect(total(samples, ActivityMetrics.awsRequests, role)).toBe(1);
      // ... and the KMS key the cluster is encrypted with.
      const key = { service: 'kms', action: 'DescribeKey', outcome: 'ok' };
      expect(total(samples, ActivityMetrics.awsRequests, key)).toBe(1);
      expect(text).not.toContain(password);
    } finally {
      await worker.kill('SIGTERM');
      await client.connection.close();
      secrets.destroy();
      kms.destroy();
    }
  });

  test('counts a failed migration, and its cluster wait as failed', async () => {
    const port = await freePort();
    const config = loadConfig({ AURORA_MIGRATE_TASK_QUEUE: uniqueName('tq') });
    const worker = spawnWorkerProcess(config, undefined, { AURORA_MIGRATE_METRICS_PORT: String(port) });
    const client = await connectTestClient();
    try {
      await worker.started;
      const spec = sampleSpec(await uploadDirectoryBackup({ version: '5.7' }));
      const clusterId = spec.restore.DBClusterIdentifier;
      await addEmulatorRule({ match: { clusterId }, outcome: { finalStatus: 'migration-failed' } });
      const run = client.workflow.execute(WORKFLOW_TYPE, {
        taskQueue: config.taskQueue,
        workflowId: `aurora-migrate:us-east-1:${clusterId}`,
        args: [spec],
      });
      await expect(run).rejects.toThrow();
      let samples = parseExposition(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text());
      for (let i = 0; i < 50 && total(samples, WorkflowMetrics.migrations) === 0; i += 1) {
        await new Promise((r) => setTimeout(r, 100));
        samples = parseExposition(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text());
      }
      expect(total(samples, WorkflowMetrics.migrations, { outcome: 'failed' })).toBe(1);
      expect(total(samples, WorkflowMetrics.migrations, { outcome: 'completed' })).toBe(0);
      expect(total(samples, WorkflowMetrics.steps, { step: 'failed' })).toBe(1);
      expect(total(samples, WorkflowMetrics.steps, { step: 'creating-instances' })).toBe(0);
      const waits = `${WorkflowMetrics.waitDuration}_count`;
      expect(total(samples, waits, { resource: 'cluster', outcome: 'failed' })).toBe(1);
      expect(total(samples, waits, { resource: 'cluster', outcome: 'available' })).toBe(0);
    } finally {
      await worker.kill('SIGTERM');
      await client.connection.close();
    }
  });

  test('counts a migration cancelled while it waits for the cluster as cancelled, and its wait too', async () => {
    const port = await freePort();
    const config = loadConfig({ AURORA_MIGRATE_TASK_QUEUE: uniqueName('tq') });
    const worker = spawnWorkerProcess(config, undefined, { AURORA_MIGRATE_METRICS_PORT: String(port) });
    const client = await connectTestClient();
    try {
      await worker.started;
      const spec = sampleSpec({
        ...(await uploadDirectoryBackup({ version: '5.7' })),
        options: { pollInterval: '1h' },
      });
      const handle = await client.workflow.start(WORKFLOW_TYPE, {
        taskQueue: config.taskQueue,
        workflowId: `aurora-migrate:us-east-1:${spec.restore.DBClusterIdentifier}`,
        args: [spec],
      });
      await waitForStep(handle, 'waiting-for-cluster');
      await handle.cancel();
      await expect(handle.result()).rejects.toThrow();
      let samples = parseExposition(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text());
      for (let i = 0; i < 50 && total(samples, WorkflowMetrics.migrations) === 0; i += 1) {
        await new Promise((r) => setTimeout(r, 100));
        samples = parseExposition(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text());
      }
      expect(total(samples, WorkflowMetrics.migrations, { outcome: 'cancelled' })).toBe(1);
      expect(total(samples, WorkflowMetrics.migrations)).toBe(1);
      const waits = `${WorkflowMetrics.waitDuration}_count`;
      expect(total(samples, waits, { resource: 'cluster', outcome: 'cancelled' })).toBe(1);
      expect(total(samples, waits)).toBe(1);
    } finally {
      await worker.kill('SIGTERM');
      await client.connection.close();
    }
  });

  test('a worker that takes over a migration counts only what it ran, not the steps it replayed', async () => {
    const config = loadConfig({ AURORA_MIGRATE_TASK_QUEUE: uniqueName('tq') });
    const [firstPort, secondPort] = [await freePort(), await freePort()];
    const first = spawnWorkerProcess(config, undefined, { AURORA_MIGRATE_METRICS_PORT: String(firstPort) });
    const client = await connectTestClient();
    let second: ReturnType<typeof spawnWorkerProcess> | undefined;
    const samplesAt = async (port: number): Promise<Sample[]> =>
      parseExposition(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text());
    try {
      await first.started;
      const spec = sampleSpec(await uploadDirectoryBackup({ version: '5.7' }));
      const handle = await client.workflow.start(WORKFLOW_TYPE, {
        taskQueue: config.taskQueue,
        workflowId: `aurora-migrate:us-east-1:${spec.restore.DBClusterIdentifier}`,
        args: [spec],
      });
      await waitForStep(handle, 'waiting-for-cluster');
      expect(total(await samplesAt(firstPort), WorkflowMetrics.steps, { step: 'waiting-for-cluster' })).toBe(1);
      await first.kill('SIGKILL');

      second = spawnWorkerProcess(config, undefined, { AURORA_MIGRATE_METRICS_PORT: String(secondPort) });
      await second.started;
      await handle.result();
      let samples = await samplesAt(secondPort);
      for (let i = 0; i < 50 && total(samples, WorkflowMetrics.migrations) === 0; i += 1) {
        await new Promise((r) => setTimeout(r, 100));
        samples = await samplesAt(secondPort);
      }
      // Replayed from history on this worker: not counted again.
      for (const step of ['validating', 'restoring', 'waiting-for-cluster']) {
        expect(total(samples, WorkflowMetrics.steps, { step })).toBe(0);
      }
      expect(total(samples, WorkflowMetrics.steps, { step: 'waiting-for-instances' })).toBe(1);
      expect(total(samples, WorkflowMetrics.migrations, { outcome: 'completed' })).toBe(1);
      expect(total(samples, ActivityMetrics.awsRequests, { action: 'RestoreDBClusterFromS3' })).toBe(0);
      // The cluster wait began before the crash; its length still counts from its start (workflow time).
      const wait = { resource: 'cluster', outcome: 'available' };
      expect(total(samples, `${WorkflowMetrics.waitDuration}_count`, wait)).toBe(1);
    } finally {
      await first.kill('SIGKILL');
      await second?.kill('SIGTERM');
      await client.connection.close();
    }
  });

  test('a worker whose metrics port is taken exits at start naming AURORA_MIGRATE_METRICS_PORT', async () => {
    const taken = createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    const { port } = taken.address() as { port: number };
    const config = loadConfig({ AURORA_MIGRATE_TASK_QUEUE: uniqueName('tq') });
    const worker = spawnWorkerProcess(config, undefined, { AURORA_MIGRATE_METRICS_PORT: String(port) });
    try {
      await expect(worker.started).rejects.toThrow(
        `worker exited with 1: ConfigError: AURORA_MIGRATE_METRICS_PORT: cannot serve metrics on 127.0.0.1:${port}`,
      );
      expect(worker.output()).toContain('choose a free port');
    } finally {
      await worker.kill('SIGKILL');
      await new Promise((r) => taken.close(r));
    }
  });

  test('never shows a secret: no credential, codec key or password reaches a metric name or label', async () => {
    const port = await freePort();
    const config = loadConfig({ AURORA_MIGRATE_TASK_QUEUE: uniqueName('tq') });
    const worker = spawnWorkerProcess(config, undefined, { AURORA_MIGRATE_METRICS_PORT: String(port) });
    const client = await connectTestClient();
    try {
      await worker.started;
      const password = `pw-${uniqueName('secret')}`;
      const spec = sampleSpec(await uploadDirectoryBackup({ version: '5.7' }));
      const { ManageMasterUserPassword: _managed, ...restore } = spec.restore;
      void _managed;
      const withPassword = { ...spec, restore: { ...restore, MasterUserPassword: password } };
      await client.workflow.execute(WORKFLOW_TYPE, {
        taskQueue: config.taskQueue,
        workflowId: `aurora-migrate:us-east-1:${spec.restore.DBClusterIdentifier}`,
        args: [withPassword],
      });
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      expect(text).toContain(ActivityMetrics.awsRequests);
      const secrets = [password, testStack().s3.secretAccessKey, TEST_CODEC_KEYS.split(':')[1]!];
      for (const secret of secrets) expect(text).not.toContain(secret);
    } finally {
      await worker.kill('SIGTERM');
      await client.connection.close();
    }
  });
});
