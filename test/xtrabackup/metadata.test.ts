import {
  parseBackupMyCnf,
  parseBinlogInfo,
  parseBinlogPos,
  parseCheckpoints,
  parseXtrabackupInfo,
} from '../../activities/xtrabackup/metadata';
import { parseAuroraEngineVersion, parseServerVersion } from '../../activities/xtrabackup/versions';

describe('XtraBackup metadata parsers', () => {
  it('parses the real 2.4.21 xtrabackup_checkpoints with BigInt LSNs', () => {
    const parsed = parseCheckpoints(
      'backup_type = full-backuped\nfrom_lsn = 0\nto_lsn = 11706176\nlast_lsn = 11706185\ncompact = 0\nrecover_binlog_info = 1\nflushed_lsn = 11706185\n',
    );
    expect(parsed).toEqual({
      backupType: 'full-backuped',
      fromLsn: 0n,
      toLsn: 11706176n,
      lastLsn: 11706185n,
      compact: false,
    });
  });

  it('rejects checkpoints without a known backup_type or without LSNs', () => {
    expect(parseCheckpoints('backup_type = partial\nfrom_lsn = 0\nto_lsn = 1\n')).toHaveProperty('error');
    expect(parseCheckpoints('backup_type = incremental\nfrom_lsn = 5\n')).toHaveProperty('error');
  });

  it('reads compressed = compressed as compressed and Y/N flags as booleans', () => {
    const info = parseXtrabackupInfo(
      'tool_version = 8.0.4\nserver_version = 8.0.13\npartial = N\nincremental = Y\ncompressed = compressed\nencrypted = N\nbinlog_pos =\n',
    );
    expect(info).toMatchObject({
      toolVersion: '8.0.4',
      serverVersion: '8.0.13',
      partial: false,
      incremental: true,
      compressed: true,
      encrypted: false,
    });
    expect(info.binlog).toBeUndefined();
  });

  it('extracts binlog coordinates and the GTID set from binlog_pos and xtrabackup_binlog_info', () => {
    expect(parseBinlogPos("filename 'binlog.000004', position '157', GTID of the last change 'abc:1-5'")).toEqual({
      file: 'binlog.000004',
      position: 157,
      gtidSet: 'abc:1-5',
    });
    expect(parseBinlogInfo('mysql-bin.000003\t154\n')).toEqual({ file: 'mysql-bin.000003', position: 154 });
    expect(parseBinlogInfo('binlog.000004\t157\tabc:1-5,\ndef:1-2\n')).toEqual({
      file: 'binlog.000004',
      position: 157,
      gtidSet: 'abc:1-5,def:1-2',
    });
  });

  it('reads only the [mysqld] section of backup-my.cnf and normalises dashes', () => {
    const cnf = parseBackupMyCnf(
      '# generated\n[client]\nuser=x\n[mysqld]\ninnodb-page-size=16384\ninnodb_data_file_path=ibdata1:12M:autoextend\n',
    );
    expect(cnf.get('innodb_page_size')).toBe('16384');
    expect(cnf.get('user')).toBeUndefined();
  });

  it('tells MySQL, Percona Server and MariaDB apart by server_version', () => {
    expect(parseServerVersion('5.7.44-log')).toMatchObject({ major: '5.7', minor: 44, flavor: 'mysql' });
    expect(parseServerVersion('8.0.40-0ubuntu0.24.04.1')?.flavor).toBe('mysql');
    expect(parseServerVersion('5.7.12-5')?.flavor).toBe('percona');
    expect(parseServerVersion('8.0.43-34')?.flavor).toBe('percona');
    expect(parseServerVersion('10.6.16-MariaDB-log')?.flavor).toBe('mariadb');
  });

  it('maps Aurora releases to their MySQL-compatible minor and leaves unknown ones without a minor', () => {
    expect(parseAuroraEngineVersion('8.0.mysql_aurora.3.04.0')).toEqual({ major: '8.0', release: '3.04', minor: 28 });
    expect(parseAuroraEngineVersion('8.0.mysql_aurora.3.99.0')).toEqual({ major: '8.0', release: '3.99' });
    expect(parseAuroraEngineVersion('8.0.28')).toBeUndefined();
  });
});
