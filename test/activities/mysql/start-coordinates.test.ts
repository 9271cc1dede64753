import { ApplicationFailure } from '@temporalio/common';
import { chooseStartCoordinates } from '../../../activities/mysql/start-coordinates';
import { FailureTypes } from '../../../workflows/errors';

const BACKUP = { file: 'mysql-bin.000003', position: 1543, gtidSet: 'a1b2c3d4-0000-4000-8000-000000000001:1-40' };

describe('the start coordinates of replication after a restore', () => {
  it('start from the backup when the RDS event states the same position', () => {
    expect(chooseStartCoordinates('binlog-position', BACKUP, { file: BACKUP.file, position: BACKUP.position })).toEqual(
      {
        file: BACKUP.file,
        position: BACKUP.position,
        gtidSet: BACKUP.gtidSet,
        from: 'backup',
      },
    );
  });

  it("start from the RDS event's position when the two differ, and say which was used and why", () => {
    const chosen = chooseStartCoordinates('binlog-position', BACKUP, { file: 'mysql-bin.000003', position: 2001 });
    expect(chosen).toMatchObject({ file: 'mysql-bin.000003', position: 2001, from: 'rds-event' });
    expect(chosen.mismatch).toMatch(/mysql-bin\.000003:1543.*mysql-bin\.000003:2001.*starts at mysql-bin\.000003:2001/);
    expect(chosen.mismatch).toMatch(/Aurora's own statement/);
  });

  it('start from whichever of the two exists', () => {
    expect(chooseStartCoordinates('binlog-position', undefined, { file: 'f.000001', position: 4 })).toMatchObject({
      file: 'f.000001',
      from: 'rds-event',
    });
    expect(chooseStartCoordinates('binlog-position', BACKUP, undefined)).toMatchObject({ from: 'backup' });
  });

  it('take the GTID set in GTID mode, and refuse GTID mode without one, naming the field and the fix', () => {
    expect(chooseStartCoordinates('gtid', BACKUP, undefined)).toMatchObject({
      gtidSet: BACKUP.gtidSet,
      from: 'backup',
    });
    const refuse = () => chooseStartCoordinates('gtid', { file: 'f.000001', position: 4 }, undefined);
    expect(refuse).toThrow(ApplicationFailure);
    expect(refuse).toThrow(/replication\.mode: .*no GTID set.*binlog-position/);
  });

  it('refuse binlog-position mode when neither the backup nor the event names a position', () => {
    let failure: unknown;
    try {
      chooseStartCoordinates('binlog-position', { gtidSet: BACKUP.gtidSet }, undefined);
    } catch (err) {
      failure = err;
    }
    expect(failure).toMatchObject({ type: FailureTypes.InvalidInput, nonRetryable: true });
  });
});
