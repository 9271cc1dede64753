/**
 * Deep validation survives its worker: a real worker process is SIGKILLed while it reads a 1 GiB xbstream from
 * the S3 server, another worker takes the retry, and the retry continues from the last heartbeat's resume point.
 * A byte-counting proxy between the workers and the S3 server measures what all attempts read.
 */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WorkflowHandle } from '@temporalio/client';
import { loadConfig } from '../../config/app-config';
import { largeXbstream, uploadStream } from '../../scripts/fixtures';
import { connectTestClient, failureOf, sampleSpec } from '../helpers/migration';
import { testS3Client, testStack, uniqueName } from '../helpers/stack';
import { spawnWorkerProcess, type WorkerProcess } from '../helpers/worker-process';

const GiB = 1 << 30;
/** One corrupt page read before the kill, one after: both must be in the final report. */
const EARLY_PAGE = 100;
const LATE_PAGE = 60_000;

/** Forwards every request to `target` unchanged (Host included, so signatures hold), counting response bytes. */
async function countingProxy(target: string): Promise<{ endpoint: string; bytes: () => number; close: () => void }> {
  const upstream = new URL(target);
  let bytes = 0;
  const server: Server = createServer((req, res) => {
    const up = request(
      { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers },
      (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.on('data', (d: Buffer) => (bytes += d.length));
        r.pipe(res);
      },
    );
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { endpoint: `http://127.0.0.1:${port}`, bytes: () => bytes, close: () => server.close() };
}

describe('deep validation whose worker is SIGKILLed mid-stream', () => {
  test('resumes from the last heartbeat: all attempts read at most 1.2 x the backup and the report is complete', async () => {
    const s3 = testS3Client();
    const bucket = uniqueName('resume');
    const size = await uploadStream(
      s3,
      bucket,
      'big/backup.xbstream',
      largeXbstream(GiB, 8 << 20, [EARLY_PAGE, LATE_PAGE]),
    );
    expect(size).toBeGreaterThan(GiB);
    const proxy = await countingProxy(testStack().s3.endpoint);
    const config = loadConfig({ AURORA_MIGRATE_TASK_QUEUE: uniqueName('tq') });
    const client = await connectTestClient();
    const workers: WorkerProcess[] = [];
    let handle: WorkflowHandle | undefined;
    try {
      workers.push(spawnWorkerProcess(config, undefined, { AURORA_MIGRATE_S3_ENDPOINT: proxy.endpoint }));
      await workers[0]!.started;
      const spec = sampleSpec({
        bucket,
        prefix: 'big/',
        sourceEngineVersion: '8.0.35',
        options: { validation: 'deep' },
      });
      handle = await client.workflow.start('migrateToAurora', {
        taskQueue: config.taskQueue,
        workflowId: `aurora-migrate:us-east-1:${spec.restore.DBClusterIdentifier}`,
        args: [spec],
      });
      // Kill once about 40% is read: well past the early corrupt page, well before the late one.
      const t0 = Date.now();
      while (proxy.bytes() < 0.4 * size) await new Promise((r) => setTimeout(r, 50));
      const seconds = (Date.now() - t0) / 1000;
      await workers[0]!.kill('SIGKILL');
      const atKill = proxy.bytes();
      expect(atKill).toBeLessThan(0.9 * size);

      workers.push(spawnWorkerProcess(config, undefined, { AURORA_MIGRATE_S3_ENDPOINT: proxy.endpoint }));
      await workers[1]!.started;
      const failure = await failureOf(handle.result());
      const total = proxy.bytes();
      console.log(
        `resume: backup ${(size / 2 ** 20).toFixed(0)} MiB, read ${(atKill / 2 ** 20).toFixed(0)} MiB before the kill (${seconds.toFixed(1)} s), ` +
          `${(total / 2 ** 20).toFixed(0)} MiB in all attempts (${(total / size).toFixed(3)} x)`,
      );
      expect(total).toBeLessThanOrEqual(1.2 * size);
      expect(total).toBeGreaterThanOrEqual(size);
      // The report names both pages: the early one through the resume point, the late one read by the retry.
      expect(failure.type).toBe('BackupInvalid');
      expect(failure.message).toContain(`[INNODB_PAGE_CORRUPT] shop/orders.ibd page ${EARLY_PAGE}:`);
      expect(failure.message).toContain(`[INNODB_PAGE_CORRUPT] shop/orders.ibd page ${LATE_PAGE}:`);
      expect(failure.message).toMatch(/\(2 errors\)/);
    } finally {
      await Promise.all(workers.map((w) => w.kill('SIGKILL')));
      await client.connection.close();
      proxy.close();
      s3.destroy();
    }
  }, 240_000);
});
