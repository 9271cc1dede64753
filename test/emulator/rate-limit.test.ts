import { DescribeDBClustersCommand, type RDSClient } from '@aws-sdk/client-rds';
import { EmulatorControl } from '../../emulator/control-client';
import { DEFAULT_RATE_LIMIT, RateLimitError, TokenBucket, parseRateLimit } from '../../emulator/rate-limit';
import type { RunningEmulator } from '../../emulator/server';
import { rdsClient, startTestEmulator } from './fixture';

/** The error a call ended with, or undefined when it succeeded. */
async function failureOf(call: Promise<unknown>): Promise<(Error & Record<string, unknown>) | undefined> {
  try {
    await call;
    return undefined;
  } catch (err) {
    return err as Error & Record<string, unknown>;
  }
}

describe('the token bucket', () => {
  it('lets a full burst through, refuses the next call, and refills at the configured rate', () => {
    const bucket = new TokenBucket({ enabled: true, burst: 3, ratePerSecond: 2 }, 0);
    expect([bucket.take(0), bucket.take(0), bucket.take(0), bucket.take(0)]).toEqual([true, true, true, false]);
    expect(bucket.take(499)).toBe(false);
    expect(bucket.take(500)).toBe(true);
    expect(bucket.take(500)).toBe(false);
    expect(bucket.available(60_000)).toBe(3);
  });

  it('never refuses when switched off', () => {
    const bucket = new TokenBucket({ ...DEFAULT_RATE_LIMIT, enabled: false, burst: 1 }, 0);
    expect(Array.from({ length: 50 }, () => bucket.take(0)).every(Boolean)).toBe(true);
  });

  it('refuses settings that are not positive numbers or unknown, naming the field', () => {
    expect(() => parseRateLimit({ burst: 0 }, 'body', DEFAULT_RATE_LIMIT)).toThrow(/body\.burst must be a positive/);
    expect(() => parseRateLimit({ rate: 3 }, 'body', DEFAULT_RATE_LIMIT)).toThrow(RateLimitError);
    expect(() => parseRateLimit({ enabled: 'no' }, 'body', DEFAULT_RATE_LIMIT)).toThrow(/body\.enabled/);
  });
});

describe('the emulator under its account-wide rate limit', () => {
  let emulator: RunningEmulator;
  let rds: RDSClient;
  let controlClient: EmulatorControl;
  beforeAll(async () => {
    emulator = await startTestEmulator({ rateLimit: { burst: 5, ratePerSecond: 1 } });
    rds = rdsClient(emulator);
    controlClient = new EmulatorControl(emulator.endpoint);
  });
  afterAll(async () => {
    rds.destroy();
    await emulator.close();
  });

  it('answers calls past the burst with Throttling, HTTP 400 and "Rate exceeded", and logs them as throttled', async () => {
    await controlClient.setRateLimit({ burst: 5, ratePerSecond: 1 });
    const before = (await controlClient.calls()).throttled;
    const outcomes = [];
    for (let i = 0; i < 8; i += 1) outcomes.push(await failureOf(rds.send(new DescribeDBClustersCommand({}))));
    const refused = outcomes.filter((o) => o !== undefined);
    expect(outcomes.length - refused.length).toBe(5);
    expect(refused).toHaveLength(3);
    for (const err of refused) {
      expect(err).toMatchObject({ name: 'Throttling', message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } });
    }
    const calls = await controlClient.calls('DescribeDBClusters');
    expect(calls.throttled - before).toBe(3);
    expect(calls.log.filter((e) => e.throttled).slice(-3)).toHaveLength(3);
    expect(calls.log.slice(-3).every((e) => e.throttled === true && e.status === 400)).toBe(true);
  });

  it('counts every action against one bucket, not a bucket per action', async () => {
    await controlClient.setRateLimit({ burst: 2, ratePerSecond: 0.01 });
    await rds.send(new DescribeDBClustersCommand({}));
    const notFound = await failureOf(rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'nope' })));
    expect(notFound).toMatchObject({ name: 'DBClusterNotFoundFault' });
    const err = await failureOf(rds.send(new DescribeDBClustersCommand({})));
    expect(err).toMatchObject({ name: 'Throttling' });
  });

  it('lets every call through once switched off through the control endpoint, and reports the settings', async () => {
    const settings = await controlClient.setRateLimit({ enabled: false });
    expect(settings).toMatchObject({ enabled: false, burst: 2 });
    for (let i = 0; i < 20; i += 1) await rds.send(new DescribeDBClustersCommand({}));
    await controlClient.setRateLimit({ enabled: true, burst: 300, ratePerSecond: 12 });
    expect(await controlClient.rateLimit()).toMatchObject({ enabled: true, burst: 300, ratePerSecond: 12 });
  });

  it('refuses a bad setting with 400 and the field named', async () => {
    await expect(controlClient.setRateLimit({ ratePerSecond: -1 })).rejects.toThrow(/400.*body\.ratePerSecond/);
  });
});

describe('an emulator started without rate-limit settings', () => {
  it("has RDS's own budget: a burst of 300 calls, then 12 a second, and the rest throttled", async () => {
    const emulator = await startTestEmulator();
    const rds = rdsClient(emulator);
    try {
      const started = Date.now();
      const results = await Promise.all(
        Array.from({ length: 400 }, () => failureOf(rds.send(new DescribeDBClustersCommand({})))),
      );
      const refilled = Math.ceil(((Date.now() - started) / 1000) * 12);
      const passed = results.filter((r) => r === undefined).length;
      expect(passed).toBeGreaterThanOrEqual(300);
      expect(passed).toBeLessThanOrEqual(300 + refilled);
      expect(results.filter((r) => r?.name === 'Throttling')).toHaveLength(400 - passed);
      expect(await new EmulatorControl(emulator.endpoint).rateLimit()).toMatchObject(DEFAULT_RATE_LIMIT);
    } finally {
      rds.destroy();
      await emulator.close();
    }
  });
});
