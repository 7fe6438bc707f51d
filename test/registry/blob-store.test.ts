import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { BlobStoreError, FsBlobStore } from '../../src/server/registry/blob-store.js';
import { sha256 } from './fixtures.js';

const root = await mkdtemp(join(tmpdir(), 'benchline-blob-store-'));
afterAll(() => rm(root, { recursive: true, force: true }));
const store = new FsBlobStore(root);

const text = async (stream: Readable) => {
  let out = '';
  for await (const chunk of stream) out += chunk;
  return out;
};

describe('FsBlobStore', () => {
  it('publishes a verified blob and reads ranges of it', async () => {
    const digest = sha256('hello blob store');
    expect(await store.put(digest, Readable.from([Buffer.from('hello '), Buffer.from('blob store')]))).toBe(
      16,
    );
    expect(await store.stat(digest)).toBe(16);
    expect(await text(await store.read(digest, { start: 6, end: 9 }))).toBe('blob');
    const listed: string[] = [];
    for await (const blob of store.list()) listed.push(blob.digest);
    expect(listed).toContain(digest);
  });

  it('leaves nothing behind when the bytes do not match the digest', async () => {
    const claimed = sha256('expected');
    await expect(store.put(claimed, Readable.from([Buffer.from('something else')]))).rejects.toMatchObject({
      kind: 'DIGEST_MISMATCH',
    });
    expect(await store.stat(claimed)).toBeNull();
    expect(await readdir(join(root, 'tmp'))).toEqual([]);
  });

  it('appends upload chunks at the right offset only, and commits after a failed commit', async () => {
    const id = '00000000-0000-4000-8000-000000000001';
    await store.createUpload(id);
    expect(await store.appendUpload(id, 0, Readable.from([Buffer.from('abc')]))).toBe(3);
    const wrong = await store.appendUpload(id, 1, Readable.from([Buffer.from('x')])).catch((e) => e);
    expect(wrong).toBeInstanceOf(BlobStoreError);
    expect(wrong).toMatchObject({ kind: 'OFFSET_MISMATCH', size: 3 });
    await expect(store.commitUpload(id, sha256('abcdef'))).rejects.toMatchObject({ kind: 'DIGEST_MISMATCH' });
    // Not visible until complete and verified.
    expect(await store.stat(sha256('abcdef'))).toBeNull();
    expect(await store.appendUpload(id, null, Readable.from([Buffer.from('def')]))).toBe(6);
    expect(await store.commitUpload(id, sha256('abcdef'))).toBe(6);
    expect(await text(await store.read(sha256('abcdef')))).toBe('abcdef');
    expect(await store.uploadSize(id)).toBeNull();
  });

  it('re-hashes an upload whose running hash it lost (another process, a restart)', async () => {
    const id = '00000000-0000-4000-8000-000000000002';
    await store.createUpload(id);
    await store.appendUpload(id, 0, Readable.from([Buffer.from('part one, ')]));
    const other = new FsBlobStore(root);
    await other.appendUpload(id, 10, Readable.from([Buffer.from('part two')]));
    expect(await store.commitUpload(id, sha256('part one, part two'))).toBe(18);
  });
});
