import { crc32 } from 'node:zlib';
import { parseFspFlags } from '../../activities/xtrabackup/fsp';
import { parseTarHeader } from '../../activities/xtrabackup/tar';
import { createTarWalker, walkTarTail } from '../../activities/xtrabackup/tar-walker';
import { parseChunkHeader } from '../../activities/xtrabackup/xbstream';
import { walkXbstreamTail } from '../../activities/xtrabackup/xbstream-tail';
import { createXbstreamWalker } from '../../activities/xtrabackup/xbstream-walker';
import {
  buildBackup,
  encodeTar,
  encodeXbstream,
  FSP_COMPRESSED,
  payloadChunk,
  sparseChunk,
  tablespaceBytes,
  tarHeader,
} from '../../scripts/fixtures';

function walk(stream: Buffer, pieceSize: number) {
  const walker = createXbstreamWalker();
  for (let at = 0; at < stream.length; at += pieceSize) walker.push(stream.subarray(at, at + pieceSize));
  return walker.end();
}

describe('xbstream', () => {
  it('encodes the format document’s 70-byte walkthrough byte for byte', () => {
    const stream = encodeXbstream([{ path: 'db/t.txt', data: Buffer.from('hello\n') }]);
    expect(stream.length).toBe(70);
    const path = Buffer.from('db/t.txt').toString('hex');
    expect(stream.toString('hex')).toBe(
      `58425354434b3031005008000000${path}06000000000000000000000000000000` +
        `20303a36${Buffer.from('hello\n').toString('hex')}58425354434b3031004508000000${path}`,
    );
    expect(stream.readUInt32LE(0x26)).toBe(0x363a3020);
  });

  it('encodes the format document’s sparse example with CRC over map and payload', () => {
    const chunk = sparseChunk(
      's.ibd',
      [
        [0, 4],
        [8, 2],
      ],
      Buffer.from('ABCDEF'),
      0,
    );
    expect(chunk.length).toBe(65);
    expect(chunk.readUInt32LE(19)).toBe(2);
    const parsed = parseChunkHeader(chunk, 0);
    expect(parsed.status === 'ok' && parsed.header.checksum).toBe(0x9e99f727);
  });

  it('verifies a whole backup stream fed in pieces of any size', () => {
    const files = buildBackup({ version: '8.0', dataBytes: 300_000 });
    const stream = encodeXbstream(files, { chunkSize: 10_000 });
    for (const size of [13, 4096, stream.length]) {
      const r = walk(stream, size);
      expect(r.issues).toEqual([]);
      expect(r.paths).toEqual(files.map((f) => f.path));
      expect(r.captured.get('xtrabackup_info')?.toString()).toContain('server_version = 8.0.35');
    }
  });

  it('reports a single flipped payload byte as a CRC mismatch of that chunk', () => {
    const stream = encodeXbstream(buildBackup({ version: '5.7' }));
    stream[200] = (stream[200] ?? 0) ^ 0x01;
    const codes = walk(stream, 8192).issues.map((i) => i.code);
    expect(codes).toEqual(['XBSTREAM_CRC_MISMATCH']);
  });

  it('reports a stream cut inside a chunk as truncated and its open files as not closed', () => {
    const stream = encodeXbstream(buildBackup({ version: '5.7' }));
    const codes = walk(stream.subarray(0, stream.length - 100), 8192).issues.map((i) => i.code);
    expect(codes).toContain('XBSTREAM_TRUNCATED');
    expect(codes).toContain('XBSTREAM_FILE_NOT_CLOSED');
  });

  it('stops at a wrong magic and reports sparse chunks', () => {
    const bad = Buffer.concat([payloadChunk('a', Buffer.from('x'), 0), Buffer.from('XBSTCK02junkjunkjunk')]);
    expect(walk(bad, 100).issues.map((i) => i.code)).toEqual(['XBSTREAM_BAD_MAGIC']);
    const sparse = encodeXbstream([{ path: 'c.ibd', data: Buffer.alloc(100, 1) }], { sparsePaths: ['c.ibd'] });
    expect(walk(sparse, 7).issues.map((i) => i.code)).toEqual(['XBSTREAM_SPARSE_CHUNK']);
  });

  it('finds the metadata in the last bytes of a stream even when the window starts mid-chunk', () => {
    const stream = encodeXbstream(buildBackup({ version: '8.0', dataBytes: 200_000 }), { chunkSize: 50_000 });
    const tail = walkXbstreamTail(stream.subarray(stream.length - 30_000));
    expect(tail?.captured.get('xtrabackup_checkpoints')?.toString()).toContain('backup_type = full-backuped');
    expect(walkXbstreamTail(stream.subarray(stream.length - 30_000, stream.length - 10))).toBeUndefined();
  });
});

describe('tar', () => {
  it('writes ustar headers whose checksum the parser accepts', () => {
    const h = parseTarHeader(tarHeader('mysql/user.frm', 10816));
    expect(h).toMatchObject({ name: 'mysql/user.frm', size: 10816, type: '0', checksumOk: true, ustar: true });
  });

  it('walks an archive, flags a corrupt header and a truncated entry', () => {
    const tar = encodeTar(buildBackup({ version: '5.7' }));
    const ok = createTarWalker();
    ok.push(tar);
    const r = ok.end();
    expect(r.issues).toEqual([]);
    expect(r.captured.has('xtrabackup_info')).toBe(true);
    const bad = Buffer.from(tar);
    bad[0] = (bad[0] ?? 0) ^ 0x20;
    const w = createTarWalker();
    w.push(bad);
    expect(w.end().issues.map((i) => i.code)).toEqual(['TAR_BAD_CHECKSUM']);
    const cut = createTarWalker();
    cut.push(tar.subarray(0, 1000));
    expect(cut.end().issues.map((i) => i.code)).toEqual(['TAR_TRUNCATED']);
  });

  it('finds the metadata in the tail of a tar from an unaligned window', () => {
    const tar = encodeTar(buildBackup({ version: '5.7' }));
    const start = tar.length - 9000 - 77;
    const found = walkTarTail(tar.subarray(start), (512 - (start % 512)) % 512);
    expect(found?.captured.get('backup-my.cnf')?.toString()).toContain('innodb_page_size=16384');
  });
});

describe('InnoDB FSP flags', () => {
  it('reads ZIP_SSIZE from page 0 of a ROW_FORMAT=COMPRESSED tablespace', () => {
    expect(parseFspFlags(tablespaceBytes(16384, 1, FSP_COMPRESSED))).toMatchObject({ zipSsize: 4, encryption: false });
    expect(parseFspFlags(tablespaceBytes(16384, 1))).toMatchObject({ zipSsize: 0, pageSsize: 0 });
  });

  it('matches zlib’s CRC-32 of the walkthrough payload', () => {
    expect(crc32(Buffer.from('hello\n'))).toBe(0x363a3020);
  });
});
