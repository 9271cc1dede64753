import { measureLag, REPORT_EVERY_MS, worthReporting } from '../../../activities/mysql/replication-lag';
import type { ReplicaStatus } from '../../../activities/mysql/replica-status';

const UUID = '3225a31d-f00f-11f1-80c8-02fc00000001';

function status(secondsBehind: number | null, executedPosition = 1000, io = 'Yes'): ReplicaStatus {
  return {
    ioRunning: io,
    sqlRunning: 'Yes',
    secondsBehind,
    readFile: 'mysql-bin.000002',
    readPosition: 5000,
    executedFile: 'mysql-bin.000002',
    executedPosition,
    retrievedGtidSet: `${UUID}:1-50`,
    executedGtidSet: `${UUID}:1-40`,
    ioErrno: 0,
    ioError: '',
    sqlErrno: 0,
    sqlError: '',
  };
}

const source = { file: 'mysql-bin.000002', position: 5000, gtidExecuted: `${UUID}:1-50` };
const at = (seconds: number) => new Date(Date.UTC(2026, 11, 4, 12, 0, seconds));

describe('one read of replication as progress shows it', () => {
  it('measures bytes behind in the same file and transactions behind in GTID mode', () => {
    const { lag } = measureLag({ status: status(30), mode: 'gtid', maxLagSeconds: 5, source, now: at(0) });
    expect(lag).toMatchObject({ bytesBehind: 4000, transactionsBehind: 10, secondsBehind: 30, consecutiveUnderMax: 0 });
    expect(lag.executed).toEqual({ file: 'mysql-bin.000002', position: 1000 });
  });

  it('leaves bytes out when the source has moved to another file, and transactions out in binlog-position mode', () => {
    const other = { ...source, file: 'mysql-bin.000003', position: 200 };
    const { lag } = measureLag({
      status: status(3),
      mode: 'binlog-position',
      maxLagSeconds: 5,
      source: other,
      now: at(0),
    });
    expect(lag.bytesBehind).toBeUndefined();
    expect(lag.transactionsBehind).toBeUndefined();
  });

  it('predicts caught-up from a falling lag, and none while it does not fall', () => {
    let trend = measureLag({ status: status(100), mode: 'binlog-position', maxLagSeconds: 5, now: at(0) }).trend;
    const falling = measureLag({
      status: status(80),
      mode: 'binlog-position',
      maxLagSeconds: 5,
      previous: trend,
      now: at(10),
    });
    // 20 s of lag gone in 10 s: the remaining 80 s take 40 s.
    expect(falling.lag.caughtUpEta).toBe(at(50).toISOString());
    trend = falling.trend;
    const rising = measureLag({
      status: status(200),
      mode: 'binlog-position',
      maxLagSeconds: 5,
      previous: trend,
      now: at(20),
    });
    expect(rising.lag.caughtUpEta).toBeUndefined();
  });

  it('counts consecutive reads at or under the bound with both threads running, and restarts at a read above it', () => {
    let previous;
    const run: number[] = [];
    for (const [seconds, io] of [
      [2, 'Yes'],
      [5, 'Yes'],
      [6, 'Yes'],
      [0, 'Connecting'],
      [1, 'Yes'],
    ] as const) {
      const measured = measureLag({
        status: status(seconds, 1000, io),
        mode: 'gtid',
        maxLagSeconds: 5,
        previous,
        now: at(run.length),
      });
      run.push(measured.lag.consecutiveUnderMax);
      previous = measured.trend;
    }
    expect(run).toEqual([1, 2, 0, 0, 1]);
  });

  it('is worth a signal when something changed or a minute passed, not for the same read again', () => {
    const first = measureLag({
      status: status(0, 5000),
      mode: 'binlog-position',
      maxLagSeconds: 5,
      source,
      now: at(0),
    }).lag;
    const same = { ...first, at: at(1).toISOString() };
    expect(worthReporting(first, undefined, 0)).toBe(true);
    expect(worthReporting(same, { lag: first, atMs: 0 }, 1000)).toBe(false);
    expect(worthReporting({ ...same, secondsBehind: 4 }, { lag: first, atMs: 0 }, 1000)).toBe(true);
    expect(worthReporting({ ...same, sqlRunning: 'No' }, { lag: first, atMs: 0 }, 1000)).toBe(true);
    expect(worthReporting(same, { lag: first, atMs: 0 }, REPORT_EVERY_MS)).toBe(true);
  });

  it('is not worth a signal for a lag wavering by a second, nor for a run under the bound past what cutover needs', () => {
    const base = measureLag({ status: status(100), mode: 'binlog-position', maxLagSeconds: 5, now: at(0) }).lag;
    const last = (lag: typeof base) => ({ lag, atMs: 0 });
    expect(worthReporting({ ...base, secondsBehind: 90 }, last(base), 1000)).toBe(false);
    expect(worthReporting({ ...base, secondsBehind: 79 }, last(base), 1000)).toBe(true);
    const zero = { ...base, secondsBehind: 0, consecutiveUnderMax: 7 };
    expect(worthReporting({ ...zero, secondsBehind: 1, consecutiveUnderMax: 8 }, last(zero), 1000)).toBe(false);
    expect(worthReporting({ ...zero, secondsBehind: null }, last(zero), 1000)).toBe(true);
    const two = { ...zero, consecutiveUnderMax: 2 };
    expect(worthReporting({ ...two, consecutiveUnderMax: 3 }, last(two), 1000)).toBe(true);
  });
});
