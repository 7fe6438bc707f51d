import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { ListMultipartUploadsCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, describe, expect, it } from 'vitest';
import { type BlobStore, BlobStoreError } from '../../src/server/registry/blob-store.js';
import { parseBlobStoreUrl } from '../../src/server/registry/blob-store-url.js';
import { FsBlobStore } from '../../src/server/registry/fs-blob-store.js';
import { S3BlobStore } from '../../src/server/registry/s3-blob-store.js';
import { startS3Server } from '../helpers/s3-server.js';
import { sha256 } from './fixtures.js';

const root = await mkdtemp(join(tmpdir(), 'benchline-blob-store-'));
afterAll(() => rm(root, { recursive: true, force: true }));
const s3 = await startS3Server();
afterAll(() => s3.stop());
const s3Options = parseBlobStoreUrl(s3.url)!;
const credentials = { accessKeyId: s3.env.AWS_ACCESS_KEY_ID, secretAccessKey: s3.env.AWS_SECRET_ACCESS_KEY };
const newS3Store = () => new S3BlobStore({ ...s3Options, credentials });

const text = async (stream: Readable) => {
  let out = '';
  for await (const chunk of stream) out += chunk;
  return out;
};
const bytes = async (stream: Readable) => {
  const parts: Buffer[] = [];
  for await (const chunk of stream) parts.push(chunk);
  return Buffer.concat(parts);
};

const stores: [string, () => BlobStore][] = [
  ['FsBlobStore', () => new FsBlobStore(root)],
  ['S3BlobStore', newS3Store],
];

describe.each(stores)('%s', (kind, open) => {
  const store = open();
  const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

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
    if (kind === 'FsBlobStore') expect(await readdir(join(root, 'tmp'))).toEqual([]);
  });

  it('says ENOENT for a blob it does not hold', async () => {
    await expect(store.read(sha256('never stored'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('appends upload chunks at the right offset only, and commits after a failed commit', async () => {
    await store.createUpload(id(1));
    expect(await store.uploadSize(id(1))).toBe(0);
    expect(await store.appendUpload(id(1), 0, Readable.from([Buffer.from('abc')]))).toBe(3);
    const wrong = await store.appendUpload(id(1), 1, Readable.from([Buffer.from('x')])).catch((e) => e);
    expect(wrong).toBeInstanceOf(BlobStoreError);
    expect(wrong).toMatchObject({ kind: 'OFFSET_MISMATCH', size: 3 });
    await expect(store.commitUpload(id(1), sha256('abcdef'))).rejects.toMatchObject({
      kind: 'DIGEST_MISMATCH',
    });
    // Not visible until complete and verified.
    expect(await store.stat(sha256('abcdef'))).toBeNull();
    expect(await store.appendUpload(id(1), null, Readable.from([Buffer.from('def')]))).toBe(6);
    expect(await store.commitUpload(id(1), sha256('abcdef'))).toBe(6);
    expect(await text(await store.read(sha256('abcdef')))).toBe('abcdef');
    expect(await store.uploadSize(id(1))).toBeNull();
  });

  it('re-hashes an upload whose running hash it lost (another process, a restart)', async () => {
    await store.createUpload(id(2));
    await store.appendUpload(id(2), 0, Readable.from([Buffer.from('part one, ')]));
    const other = open();
    await other.appendUpload(id(2), 10, Readable.from([Buffer.from('part two')]));
    expect(await store.commitUpload(id(2), sha256('part one, part two'))).toBe(18);
  });

  it('commits a one-chunk upload another process took, and refuses one whose bytes differ', async () => {
    await store.createUpload(id(3));
    await open().appendUpload(id(3), 0, Readable.from([Buffer.from('single chunk')]));
    await expect(open().commitUpload(id(3), sha256('other'))).rejects.toMatchObject({
      kind: 'DIGEST_MISMATCH',
    });
    expect(await open().commitUpload(id(3), sha256('single chunk'))).toBe(12);
    expect(await text(await store.read(sha256('single chunk')))).toBe('single chunk');
  });

  it('keeps an upload at its size when a chunk stream fails halfway', async () => {
    await store.createUpload(id(4));
    await store.appendUpload(id(4), 0, Readable.from([Buffer.from('kept')]));
    const failing = new Readable({
      read() {
        this.push(Buffer.from('lost'));
        this.destroy(new Error('client went away'));
      },
    });
    await expect(store.appendUpload(id(4), 4, failing)).rejects.toThrow();
    const size = (await store.uploadSize(id(4)))!;
    // The disk keeps what reached it, object storage nothing of the failed chunk; either way the
    // client resumes from the size it is told, and the blob comes out right.
    expect(size === 4 || size === 8).toBe(true);
    const held = size === 4 ? 'kept' : 'keptlost';
    await store.appendUpload(id(4), size, Readable.from([Buffer.from(', then more')]));
    expect(await store.commitUpload(id(4), sha256(`${held}, then more`))).toBe(size + 11);
  });

  it('lists and deletes upload sessions', async () => {
    await store.createUpload(id(5));
    await store.appendUpload(id(5), 0, Readable.from([Buffer.from('x')]));
    const ids: string[] = [];
    for await (const upload of store.listUploads()) ids.push(upload.id);
    expect(ids).toContain(id(5));
    await store.deleteUpload(id(5));
    expect(await store.uploadSize(id(5))).toBeNull();
    await expect(store.appendUpload(id(5), 0, Readable.from([Buffer.from('y')]))).rejects.toMatchObject({
      kind: 'UPLOAD_UNKNOWN',
    });
  });

  it('stores a large blob in parts without holding it whole, and deletes it', async () => {
    const data = randomBytes(21 * 1024 * 1024 + 17);
    const digest = sha256(data);
    // Sent in 1 MiB pieces from a generator: the store streams, whatever the size.
    const source = Readable.from(
      (function* () {
        for (let i = 0; i < data.length; i += 1024 * 1024) yield data.subarray(i, i + 1024 * 1024);
      })(),
    );
    expect(await store.put(digest, source)).toBe(data.length);
    expect(await store.stat(digest)).toBe(data.length);
    expect((await bytes(await store.read(digest))).equals(data)).toBe(true);
    const tail = await bytes(await store.read(digest, { start: data.length - 100, end: data.length - 1 }));
    expect(tail.equals(data.subarray(data.length - 100))).toBe(true);
    await store.delete(digest);
    expect(await store.stat(digest)).toBeNull();
  });

  it('aborts a large upload whose bytes do not match, leaving no open multipart upload', async () => {
    const data = randomBytes(18 * 1024 * 1024);
    const claimed = sha256('not these bytes');
    await expect(store.put(claimed, Readable.from([data]))).rejects.toMatchObject({
      kind: 'DIGEST_MISMATCH',
    });
    expect(await store.stat(claimed)).toBeNull();
    if (store instanceof S3BlobStore) {
      const open = await store.client.send(new ListMultipartUploadsCommand({ Bucket: s3Options.bucket }));
      expect(open.Uploads ?? []).toEqual([]);
    }
  });

  it('keeps named objects whole, and replaces them whole', async () => {
    const key = `logs/${kind.toLowerCase()}/job.ndjson.gz`;
    expect(await store.getObject(key)).toBeNull();
    expect(await store.putObject(key, Readable.from([Buffer.from('first')]))).toBe(5);
    expect(await store.putObject(key, Readable.from([Buffer.from('second')]))).toBe(6);
    expect(await text((await store.getObject(key))!)).toBe('second');
    await store.deleteObject(key);
    expect(await store.getObject(key)).toBeNull();
    await expect(store.getObject('../escape')).rejects.toThrow('not an object key');
  });

  it('answers the start-up check', async () => {
    await store.check();
  });
});

describe('S3BlobStore downloads', () => {
  it('hands out a pre-signed URL that serves the blob and ranges of it, unless redirects are off', async () => {
    const store = newS3Store();
    const digest = sha256('presigned bytes');
    await store.put(digest, Readable.from([Buffer.from('presigned bytes')]));
    const url = (await store.downloadUrl(digest, 60))!;
    expect(url).toMatch(/X-Amz-Signature=/);
    const whole = await fetch(url);
    expect(whole.status).toBe(200);
    expect(await whole.text()).toBe('presigned bytes');
    const part = await fetch(url, { headers: { range: 'bytes=10-14' } });
    expect(part.status).toBe(206);
    expect(await part.text()).toBe('bytes');
    const off = new S3BlobStore({ ...s3Options, credentials, redirect: false });
    expect(await off.downloadUrl(digest, 60)).toBeNull();
  });

  it('commits on another server by copying inside the store, and re-hashes a chunk replaced since', async () => {
    const id = '00000000-0000-4000-8000-0000000000a1';
    await newS3Store().createUpload(id);
    await newS3Store().appendUpload(id, 0, Readable.from([Buffer.from('pushed through server A')]));
    const before = s3.requestLog().length;
    expect(await newS3Store().commitUpload(id, sha256('pushed through server A'))).toBe(23);
    // Server B read the digest A noted, not the chunk's bytes.
    expect(s3.requestLog().slice(before)).not.toMatch(new RegExp(`"GET /${s3.bucket}/uploads/${id}/0+[ ?]`));
    expect(await text(await newS3Store().read(sha256('pushed through server A')))).toBe(
      'pushed through server A',
    );

    const other = '00000000-0000-4000-8000-0000000000a2';
    const store = newS3Store();
    await store.createUpload(other);
    await store.appendUpload(other, 0, Readable.from([Buffer.from('original bytes')]));
    // Something replaces the chunk behind the note's back (same size, other bytes).
    await store.client.send(
      new PutObjectCommand({
        Bucket: s3Options.bucket,
        Key: `uploads/${other}/${'0'.repeat(16)}`,
        Body: Buffer.from('replaced bytes'),
      }),
    );
    await expect(newS3Store().commitUpload(other, sha256('original bytes'))).rejects.toMatchObject({
      kind: 'DIGEST_MISMATCH',
    });
    expect(await newS3Store().stat(sha256('original bytes'))).toBeNull();
  });

  it('fails its start-up check on a bucket that does not exist', async () => {
    const store = new S3BlobStore({ ...s3Options, bucket: 'no-such-bucket', credentials });
    await expect(store.check()).rejects.toThrow();
  });
});
