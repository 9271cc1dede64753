import { checkChain } from '../../activities/validation/chain-checks';
import { detectLayout, Limits } from '../../activities/validation/layout';

const codes = (l: { findings: { code: string }[] }) => l.findings.map((f) => f.code);

describe('layout detection from a listing', () => {
  it('rejects objects in Glacier and Deep Archive but not Glacier Instant Retrieval', () => {
    const l = detectLayout('b', 'p/', [{ key: 'p/backup.xbstream', size: 10, storageClass: 'DEEP_ARCHIVE' }]);
    expect(codes(l)).toEqual(['STORAGE_CLASS_ARCHIVED']);
    expect(
      codes(detectLayout('b', 'p/', [{ key: 'p/backup.xbstream', size: 10, storageClass: 'GLACIER_IR' }])),
    ).toEqual([]);
  });

  it('enforces the object count, object size and total size limits', () => {
    const many = Array.from({ length: Limits.maxObjects + 1 }, (_, i) => ({ key: `p/db/t${i}.ibd`, size: 1 }));
    expect(codes(detectLayout('b', 'p/', many))).toContain('TOO_MANY_OBJECTS');
    const huge = [{ key: 'p/backup.xbstream.00', size: Limits.maxObjectBytes + 1 }];
    expect(codes(detectLayout('b', 'p/', huge))).toContain('OBJECT_TOO_LARGE');
    const parts = Array.from({ length: 14 }, (_, i) => ({
      key: `p/backup.xbstream.${String(i).padStart(2, '0')}`,
      size: 5 * 1024 ** 4,
    }));
    expect(codes(detectLayout('b', 'p/', parts))).toEqual(['BACKUP_TOO_LARGE']);
  });

  it('orders split parts numerically and ignores folder markers', () => {
    const l = detectLayout('b', 'p/', [
      { key: 'p/', size: 0 },
      { key: 'p/backup.tar.gz01', size: 5 },
      { key: 'p/backup.tar.gz00', size: 5 },
    ]);
    expect(l.format).toBe('tar.gz');
    expect(l.streamParts.map((o) => o.key)).toEqual(['p/backup.tar.gz00', 'p/backup.tar.gz01']);
    expect(l.objects).toHaveLength(2);
  });

  it('finds full and incremental roots and orders the chain by LSN', () => {
    const l = detectLayout('b', '', [
      { key: 'inc/xtrabackup_checkpoints', size: 1 },
      { key: 'full/xtrabackup_checkpoints', size: 1 },
      { key: 'full/mysql/user.frm', size: 1 },
    ]);
    expect(l.roots.map((r) => r.root)).toEqual(['full/', 'inc/']);
    const chain = checkChain([
      { location: 'inc', checkpoints: { backupType: 'incremental', fromLsn: 10n, toLsn: 20n, compact: false } },
      { location: 'full', checkpoints: { backupType: 'full-backuped', fromLsn: 0n, toLsn: 10n, compact: false } },
    ]);
    expect(chain.findings).toEqual([]);
    expect(chain.ordered.map((m) => m.location)).toEqual(['full', 'inc']);
  });
});
