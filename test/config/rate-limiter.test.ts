import { DescribeDBClustersCommand } from '@aws-sdk/client-rds';
import { loadConfig } from '../../config/app-config';
import { createRdsClient } from '../../config/aws-clients';
import { RequestLimiter } from '../../config/rate-limiter';
import { EmulatorControl } from '../../emulator/control-client';
import type { RunningEmulator } from '../../emulator/server';
import { startTestEmulator } from '../emulator/fixture';
import { testStack } from '../helpers/stack';

describe("the worker's RDS request budget", () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startTestEmulator();
  });
  afterAll(async () => {
    await emulator.close();
  });

  const configFor = (extra: Record<string, string> = {}) =>
    loadConfig({
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: testStack().s3.accessKeyId,
      AWS_SECRET_ACCESS_KEY: testStack().s3.secretAccessKey,
      AURORA_MIGRATE_RDS_ENDPOINT: emulator.endpoint,
      ...extra,
    });

  it('spaces a burst of calls to the configured rate instead of sending them at once', async () => {
    const limiter = new RequestLimiter(10, 2);
    const rds = createRdsClient(configFor(), limiter);
    const started = Date.now();
    await Promise.all(Array.from({ length: 12 }, () => rds.send(new DescribeDBClustersCommand({}))));
    const elapsed = Date.now() - started;
    rds.destroy();
    // 2 go at once, the other 10 at 10 a second.
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(elapsed).toBeLessThan(3_000);
    expect(limiter.delayed).toBe(10);
  });

  it('counts every SDK attempt, so retries of a throttled call spend the budget too', async () => {
    const control = new EmulatorControl(emulator.endpoint);
    const rule = await control.addRule({ match: { action: 'DescribeDBClusters' }, fault: { type: 'throttle' } });
    const limiter = new RequestLimiter(1000, 1000);
    const rds = createRdsClient(configFor({ AURORA_MIGRATE_AWS_MAX_ATTEMPTS: '3' }), limiter);
    try {
      await expect(rds.send(new DescribeDBClustersCommand({}))).rejects.toMatchObject({ name: 'Throttling' });
      expect(limiter.granted).toBe(3);
      expect(limiter.delayed).toBe(0);
    } finally {
      rds.destroy();
      await fetch(`${emulator.endpoint}/_emulator/rules/${rule}`, { method: 'DELETE' });
    }
  });

  it('refuses a rate that is not a positive whole number, naming the variable', () => {
    expect(() => configFor({ AURORA_MIGRATE_RDS_CALLS_PER_SECOND: '0' })).toThrow(
      /AURORA_MIGRATE_RDS_CALLS_PER_SECOND/,
    );
    expect(() => configFor({ AURORA_MIGRATE_RDS_CALL_BURST: 'many' })).toThrow(/AURORA_MIGRATE_RDS_CALL_BURST/);
  });
});
