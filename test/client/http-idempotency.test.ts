import { createHash, randomUUID } from 'node:crypto';
import { SearchAttributeKeys } from '../../workflows/ids';
import { sampleSpec, startTestWorker, type TestWorker, uploadDirectoryBackup } from '../helpers/migration';
import { uniqueName } from '../helpers/stack';
import { call } from './http-helpers';
import { spawnHttpService, type ServiceProcess } from './http-service-process';
import { validSpec } from './spec-fixtures';

// Two replicas of the HTTP service as separate processes, and a real worker, all on one Temporal: what one
// replica answered for an Idempotency-Key, the other answers too, and so does a replica started afresh.
let tw: TestWorker;
let replicaA: ServiceProcess;
let replicaB: ServiceProcess;

beforeAll(async () => {
  tw = await startTestWorker();
  [replicaA, replicaB] = await Promise.all([
    spawnHttpService(tw.config.taskQueue),
    spawnHttpService(tw.config.taskQueue),
  ]);
});

afterAll(async () => {
  await replicaA?.stop();
  await replicaB?.stop();
  await tw?.stop();
});

function post(replica: ServiceProcess, body: unknown, key: string) {
  return call(replica, 'POST', '/migrations', { body, headers: { 'idempotency-key': key } });
}

async function runIds(workflowId: string): Promise<string[]> {
  const runs: string[] = [];
  for await (const info of tw.client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) runs.push(info.runId);
  return runs;
}

test('two replicas answer one key and body with the same id and created_at, and a different body with 409 on both', async () => {
  // This spec's backup does not exist, so its run soon fails: running or closed, the key's answer is the same.
  const key = randomUUID();
  const spec = validSpec(uniqueName('c'));
  const first = await post(replicaA, spec, key);
  expect(first.status).toBe(202);
  const second = await post(replicaB, spec, key);
  expect(second.status).toBe(202);
  expect(second.body.data).toEqual(first.body.data);
  // Temporal holds the key's sha256, never the key.
  const description = await tw.client.workflow.getHandle(String(first.body.data!.id)).describe();
  const keyHash = createHash('sha256').update(key).digest('hex');
  expect(description.memo).toMatchObject({ idempotencyKeyHash: keyHash });
  expect(description.typedSearchAttributes.get(SearchAttributeKeys.idempotencyKeyHash)).toBe(keyHash);
  expect(JSON.stringify(description.memo)).not.toContain(key);

  const otherCluster = validSpec(uniqueName('c'));
  const sameCluster = { ...spec, options: { ...spec.options, validation: 'deep' as const } };
  for (const replica of [replicaA, replicaB]) {
    for (const body of [otherCluster, sameCluster]) {
      const answer = await post(replica, body, key);
      expect(answer.status).toBe(409);
      expect(answer.body.error!.code).toBe('CONFLICT');
      expect(answer.body.error!.message).toContain('Idempotency-Key');
    }
  }
  // The refused body for another cluster started nothing.
  expect(await runIds(`aurora-migrate:us-east-1:${otherCluster.restore.DBClusterIdentifier}`)).toEqual([]);
});

test('two replicas sent one key and body at the same instant start one run and answer it alike', async () => {
  const key = randomUUID();
  const spec = validSpec(uniqueName('c'));
  const answers = await Promise.all([post(replicaA, spec, key), post(replicaB, spec, key), post(replicaA, spec, key)]);
  expect(answers.map((a) => a.status)).toEqual([202, 202, 202]);
  expect(answers[1].body.data).toEqual(answers[0].body.data);
  expect(answers[2].body.data).toEqual(answers[0].body.data);
  expect(await runIds(String(answers[0].body.data!.id))).toHaveLength(1);
});

test('a replica started afresh answers a key the same, and a completed migration is returned, not restarted', async () => {
  const backup = await uploadDirectoryBackup({ version: '5.7' });
  const spec = sampleSpec(backup);
  const key = randomUUID();
  const first = await post(replicaA, spec, key);
  expect(first.status).toBe(202);
  const id = String(first.body.data!.id);

  await replicaA.stop('SIGKILL');
  replicaA = await spawnHttpService(tw.config.taskQueue);
  const afterRestart = await post(replicaA, spec, key);
  expect(afterRestart.body.data).toEqual(first.body.data);

  await tw.client.workflow.getHandle(id).result();
  const [runId] = await runIds(id);
  for (const replica of [replicaA, replicaB]) {
    const afterCompletion = await post(replica, spec, key);
    expect(afterCompletion.status).toBe(202);
    expect(afterCompletion.body.data).toEqual(first.body.data);
  }
  const description = await tw.client.workflow.getHandle(id).describe();
  expect(description.status.name).toBe('COMPLETED');
  expect(description.runId).toBe(runId);
  expect(await runIds(id)).toHaveLength(1);
}, 180_000);
