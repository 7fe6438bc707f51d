import { createHash, type Hash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { type FileHandle, mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type BlobStore, BlobStoreError, type ByteRange, OBJECT_KEY } from './blob-store.js';
import { KeyedLock } from './keyed-lock.js';

const HEX = /^[0-9a-f]{64}$/;
const UPLOAD_ID = /^[0-9a-f-]{36}$/;
const IO_CHUNK = 1024 * 1024;

/** Hashes and counts what is written through a FlushingFileWriter. */
class Hasher {
  bytes = 0;
  constructor(readonly hash: Hash) {}
  update(chunk: Buffer) {
    this.hash.update(chunk);
    this.bytes += chunk.length;
  }
}

const SYNC_EVERY = 8 * 1024 * 1024;

/**
 * Hashes, then writes at a position, and flushes to disk in the background every few MiB, so the fsync
 * that publishes a blob has little left to do: durability without a long stall at the end of an upload.
 * Hashing here rather than in a Transform saves a stream hop per chunk, and `_writev` turns the many
 * small socket chunks that queue up during a write into one writev call instead of one round trip each.
 */
class FlushingFileWriter extends Writable {
  #position: number;
  #unsynced = 0;
  #syncing: Promise<void> | null = null;

  constructor(
    readonly handle: FileHandle,
    start: number,
    readonly hasher: Hasher,
  ) {
    super({ highWaterMark: IO_CHUNK });
    this.#position = start;
  }

  /** Writes every byte: a short write must not leave a hole the hash already covers. */
  async #writeFully(buffers: Buffer[]): Promise<number> {
    const total = buffers.reduce((sum, b) => sum + b.length, 0);
    let { bytesWritten: done } =
      buffers.length === 1
        ? await this.handle.write(buffers[0], 0, buffers[0].length, this.#position)
        : await this.handle.writev(buffers, this.#position);
    // Rare (a full disk, a signal), so copying once here costs nothing in the common case.
    const all = done < total ? Buffer.concat(buffers) : null;
    while (all && done < total) {
      const { bytesWritten } = await this.handle.write(all, done, total - done, this.#position + done);
      if (bytesWritten === 0) throw new Error('the disk accepted no more bytes');
      done += bytesWritten;
    }
    return total;
  }

  #writeAll(buffers: Buffer[], done: (error?: Error | null) => void) {
    for (const buffer of buffers) this.hasher.update(buffer);
    this.#writeFully(buffers).then((bytesWritten) => {
      this.#position += bytesWritten;
      this.#unsynced += bytesWritten;
      if (this.#unsynced >= SYNC_EVERY && !this.#syncing) {
        this.#unsynced = 0;
        this.#syncing = this.handle
          .datasync()
          .catch(() => {})
          .finally(() => {
            this.#syncing = null;
          });
      }
      done();
    }, done);
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void) {
    this.#writeAll([chunk], done);
  }

  override _writev(chunks: { chunk: Buffer }[], done: (error?: Error | null) => void) {
    this.#writeAll(
      chunks.map((c) => c.chunk),
      done,
    );
  }

  override _final(done: (error?: Error | null) => void) {
    (this.#syncing ?? Promise.resolve()).then(() => done(), done);
  }
}

/** Pipes `source` into `path` from byte `start`, hashing on the way. */
async function writeAt(path: string, start: number, source: Readable, hasher: Hasher): Promise<void> {
  const handle = await open(path, start === 0 ? 'w' : 'r+');
  try {
    await pipeline(source, new FlushingFileWriter(handle, start, hasher));
  } finally {
    await handle.close();
  }
}

/**
 * The default store: files under one directory, `blobs/sha256/ab/abcd…`. Every blob is written to a
 * temp file, fsynced, then renamed into place, so a crash leaves either nothing or the whole blob.
 */
export class FsBlobStore implements BlobStore {
  // Running hashes of upload sessions, so completing a large upload needs no second read.
  // Lost on restart or when another process took a chunk; commit then re-hashes the file.
  readonly #hashes = new Map<string, { hash: Hash; size: number }>();
  readonly #locks = new KeyedLock();
  #ready: Promise<void> | undefined;

  constructor(readonly root: string) {}

  #blobPath(digest: string): string {
    const hex = digest.slice('sha256:'.length);
    if (!digest.startsWith('sha256:') || !HEX.test(hex)) throw new Error(`not a sha256 digest: ${digest}`);
    return join(this.root, 'blobs', 'sha256', hex.slice(0, 2), hex);
  }

  #uploadPath(id: string): string {
    if (!UPLOAD_ID.test(id)) throw new BlobStoreError('UPLOAD_UNKNOWN', `bad upload id ${id}`);
    return join(this.root, 'uploads', id);
  }

  #init(): Promise<void> {
    this.#ready ??= (async () => {
      for (const dir of ['blobs/sha256', 'uploads', 'tmp', 'objects'])
        await mkdir(join(this.root, dir), { recursive: true });
    })();
    return this.#ready;
  }

  async stat(digest: string): Promise<number | null> {
    try {
      return (await stat(this.#blobPath(digest))).size;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async read(digest: string, range?: ByteRange): Promise<Readable> {
    const path = this.#blobPath(digest);
    // Open first so a missing blob fails here, not halfway through a response.
    const handle = await open(path, 'r');
    return handle.createReadStream({ start: range?.start, end: range?.end, highWaterMark: IO_CHUNK });
  }

  async put(digest: string, source: Readable): Promise<number> {
    await this.#init();
    const temp = join(this.root, 'tmp', randomUUID());
    const hasher = new Hasher(createHash('sha256'));
    try {
      await writeAt(temp, 0, source, hasher);
      const actual = `sha256:${hasher.hash.digest('hex')}`;
      if (actual !== digest) {
        throw new BlobStoreError('DIGEST_MISMATCH', `content hashes to ${actual}, not ${digest}`);
      }
      await this.#publish(temp, digest);
      return hasher.bytes;
    } finally {
      await rm(temp, { force: true });
    }
  }

  /** fsync, then rename into place; the directory is synced too so the name survives a crash. */
  async #publish(file: string, digest: string): Promise<void> {
    await this.#publishAt(file, this.#blobPath(digest));
  }

  async #publishAt(file: string, target: string): Promise<void> {
    const handle = await open(file, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    const dir = join(target, '..');
    await mkdir(dir, { recursive: true });
    await rename(file, target);
    const dirHandle = await open(dir, 'r');
    try {
      await dirHandle.sync();
    } finally {
      await dirHandle.close();
    }
  }

  async delete(digest: string): Promise<void> {
    await rm(this.#blobPath(digest), { force: true });
  }

  async *list(): AsyncIterable<{ digest: string; modifiedAt: Date }> {
    await this.#init();
    const base = join(this.root, 'blobs', 'sha256');
    for (const prefix of await readdir(base)) {
      let names: string[];
      try {
        names = await readdir(join(base, prefix));
      } catch {
        continue;
      }
      for (const name of names) {
        if (!HEX.test(name)) continue;
        const info = await stat(join(base, prefix, name)).catch(() => null);
        if (info) yield { digest: `sha256:${name}`, modifiedAt: info.mtime };
      }
    }
  }

  async createUpload(id: string): Promise<void> {
    await this.#init();
    const handle = await open(this.#uploadPath(id), 'wx');
    await handle.close();
    this.#hashes.set(id, { hash: createHash('sha256'), size: 0 });
  }

  async uploadSize(id: string): Promise<number | null> {
    try {
      return (await stat(this.#uploadPath(id))).size;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  appendUpload(id: string, offset: number | null, source: Readable): Promise<number> {
    return this.#locks.run(id, async () => {
      const path = this.#uploadPath(id);
      const size = await this.uploadSize(id);
      if (size === null) {
        source.resume();
        throw new BlobStoreError('UPLOAD_UNKNOWN', `upload ${id} does not exist`);
      }
      if (offset !== null && offset !== size) {
        source.resume();
        throw new BlobStoreError('OFFSET_MISMATCH', `the upload holds ${size} bytes, not ${offset}`, size);
      }
      let state = this.#hashes.get(id);
      if (state && state.size !== size) {
        this.#hashes.delete(id);
        state = undefined;
      }
      const hasher = new Hasher(state?.hash ?? createHash('sha256'));
      try {
        await writeAt(path, size, source, hasher);
      } catch (error) {
        // Whatever reached the file stays; the client resumes from the size we report.
        this.#hashes.delete(id);
        throw error;
      }
      if (state) state.size += hasher.bytes;
      return size + hasher.bytes;
    });
  }

  commitUpload(id: string, digest: string): Promise<number> {
    return this.#locks.run(id, async () => {
      const path = this.#uploadPath(id);
      const size = await this.uploadSize(id);
      if (size === null) throw new BlobStoreError('UPLOAD_UNKNOWN', `upload ${id} does not exist`);
      const state = this.#hashes.get(id);
      let actual: string;
      if (state && state.size === size) {
        // A digest() call finalizes the hash; keep a copy so a failed commit can take more chunks.
        actual = `sha256:${state.hash.copy().digest('hex')}`;
      } else {
        const hash = createHash('sha256');
        for await (const chunk of createReadStream(path, { highWaterMark: IO_CHUNK })) hash.update(chunk);
        actual = `sha256:${hash.digest('hex')}`;
      }
      if (actual !== digest) {
        throw new BlobStoreError(
          'DIGEST_MISMATCH',
          `the uploaded content hashes to ${actual}, not ${digest}`,
        );
      }
      await this.#publish(path, digest);
      this.#hashes.delete(id);
      return size;
    });
  }

  async deleteUpload(id: string): Promise<void> {
    this.#hashes.delete(id);
    await rm(this.#uploadPath(id), { force: true });
  }

  async *listUploads(): AsyncIterable<{ id: string; modifiedAt: Date }> {
    await this.#init();
    for (const name of await readdir(join(this.root, 'uploads'))) {
      if (!UPLOAD_ID.test(name)) continue;
      const info = await stat(join(this.root, 'uploads', name)).catch(() => null);
      if (info) yield { id: name, modifiedAt: info.mtime };
    }
  }

  async removeStaleTemp(before: Date): Promise<number> {
    await this.#init();
    let removed = 0;
    for (const name of await readdir(join(this.root, 'tmp'))) {
      const path = join(this.root, 'tmp', name);
      const info = await stat(path).catch(() => null);
      if (info && info.mtime < before) {
        await rm(path, { force: true });
        removed++;
      }
    }
    return removed;
  }

  async downloadUrl(): Promise<string | null> {
    return null;
  }

  #objectPath(key: string): string {
    if (!OBJECT_KEY.test(key)) throw new Error(`not an object key: ${key}`);
    return join(this.root, 'objects', key);
  }

  async putObject(key: string, source: Readable): Promise<number> {
    await this.#init();
    const target = this.#objectPath(key);
    const temp = join(this.root, 'tmp', randomUUID());
    const hasher = new Hasher(createHash('sha256'));
    try {
      await writeAt(temp, 0, source, hasher);
      await this.#publishAt(temp, target);
      return hasher.bytes;
    } finally {
      await rm(temp, { force: true });
    }
  }

  async getObject(key: string): Promise<Readable | null> {
    try {
      const handle = await open(this.#objectPath(key), 'r');
      return handle.createReadStream({ highWaterMark: IO_CHUNK });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async deleteObject(key: string): Promise<void> {
    await rm(this.#objectPath(key), { force: true });
  }

  async check(): Promise<void> {
    await this.#init();
    const probe = join(this.root, 'tmp', `check-${randomUUID()}`);
    const handle = await open(probe, 'w');
    await handle.close();
    await rm(probe, { force: true });
  }
}
