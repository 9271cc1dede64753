import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DescribeDBClustersCommand, RestoreDBClusterFromS3Command } from '@aws-sdk/client-rds';
import { testRdsClient, testStack, uniqueName } from '../helpers/stack';
import { FAST_TIMINGS, restoreInput, seedBucket, startTestEmulator, waitFor } from './fixture';

describe('persistence', () => {
  it('keeps clusters across a restart through statePath, and never writes the password to the file', async () => {
    const statePath = join(testStack().scratchDir, `${uniqueName('state')}.json`);
    const seeded = await seedBucket();
    const input = restoreInput(seeded, { MasterUserPassword: 'Persist-n0t-me', Tags: [{ Key: 'k', Value: 'v' }] });
    const first = await startTestEmulator({ statePath });
    const rds = testRdsClient(first.endpoint);
    await rds.send(new RestoreDBClusterFromS3Command(input));
    rds.destroy();
    await first.close();
    const saved = readFileSync(statePath, 'utf8');
    expect(saved).toContain(input.DBClusterIdentifier);
    expect(saved).not.toContain('Persist-n0t-me');
    expect(existsSync(`${statePath}.${process.pid}.tmp`)).toBe(false);

    const second = await startTestEmulator({ statePath });
    const again = testRdsClient(second.endpoint);
    try {
      const cluster = await waitFor(
        async () =>
          (await again.send(new DescribeDBClustersCommand({ DBClusterIdentifier: input.DBClusterIdentifier })))
            .DBClusters?.[0],
        (c) => c?.Status === 'available',
      );
      expect(cluster?.TagList).toEqual([{ Key: 'k', Value: 'v' }]);
    } finally {
      again.destroy();
      await second.close();
    }
  });
});

describe('main.ts process', () => {
  const mainJs = join(__dirname, '..', '..', 'lib', 'emulator', 'main.js');

  it('prints one listening line, serves RDS, and exits 0 on SIGTERM', async () => {
    const child = spawn(process.execPath, [mainJs, '--port', '0', '--timings', JSON.stringify(FAST_TIMINGS)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const line = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('\n')) resolve(out.split('\n')[0] ?? '');
      });
      child.once('exit', (code) => reject(new Error(`exited early with ${String(code)}`)));
    });
    const parsed = JSON.parse(line) as { event: string; endpoint: string };
    expect(parsed.event).toBe('listening');
    expect(parsed.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const rds = testRdsClient(parsed.endpoint);
    await expect(rds.send(new DescribeDBClustersCommand({}))).resolves.toMatchObject({ DBClusters: [] });
    rds.destroy();
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('exits 2 with a message naming the flag on bad arguments', async () => {
    const child = spawn(process.execPath, [mainJs, '--port', 'abc'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(2);
    expect(stderr).toMatch(/--port/);
  });
});
