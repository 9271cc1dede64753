/**
 * A test file's own source MySQL: started in the run's scratch folder before the file's tests and stopped (by
 * its PID, through the process handle) after them, so no mysqld outlives the file.
 */
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import type { MysqlMajor } from '../../emulator/mysql/mysqld-binaries';
import { startSourceMysql, type SourceMysql, type SourceMysqlOptions } from '../../scripts/stack/source-mysql';
import { testStack } from './stack';

/**
 * Registers beforeAll/afterAll hooks that start a source MySQL of that major version and stop it; the returned
 * function gives the running source inside tests. `options` start it otherwise (no binary log, GTID off, …).
 */
export function useSourceMysql(
  major: MysqlMajor = '8.0',
  options: Omit<SourceMysqlOptions, 'major' | 'dataDir'> = {},
): () => SourceMysql {
  let source: SourceMysql | undefined;
  beforeAll(async () => {
    const dataDir = mkdtempSync(join(testStack().scratchDir, `source-mysql-${major}-`));
    source = await startSourceMysql({ ...options, major, dataDir });
  }, 120_000);
  afterAll(async () => {
    await source?.stop();
  }, 60_000);
  return () => {
    if (!source) throw new Error('the source MySQL is not running: use it inside a test, after beforeAll');
    return source;
  };
}
