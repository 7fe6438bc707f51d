import { createHash, type Hash } from 'node:crypto';
import { PassThrough, Readable, Transform, type TransformCallback } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CopyObjectCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  PutObjectCommand,
  paginateListObjectsV2,
  S3Client,
  type S3ClientConfig,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { type BlobStore, BlobStoreError, type ByteRange, missingBlob, OBJECT_KEY } from './blob-store.js';
import { KeyedLock } from './keyed-lock.js';

/** What `BENCHLINE_BLOB_STORE=s3://bucket/prefix?…` says (parsed by blob-store-config.ts). */
export interface S3BlobStoreOptions {
  bucket: string;
  /** Prepended to every key (`benchline/`), so one bucket can hold several installations. */
  prefix: string;
  /** For S3-compatible services (MinIO, R2, Ceph…); null: AWS itself. */
  endpoint: string | null;
  region: string;
  /** `bucket.host/key` (AWS's default) or `host/bucket/key` (most self-hosted services). */
  forcePathStyle: boolean;
  /** Hand out pre-signed GET URLs for blobs; off when the runners cannot reach the store. */
  redirect: boolean;
  /** Credentials come from the SDK's usual chain (AWS_ACCESS_KEY_ID…, profiles, instance roles) unless given. */
  credentials?: S3ClientConfig['credentials'];
}

const HEX = /^[0-9a-f]{64}$/;
const UPLOAD_ID = /^[0-9a-f-]{36}$/;
/** Parts of a multipart upload; with two in flight an upload buffers at most 16 MiB, whatever the layer's size. */
const PART_SIZE = 8 * 1024 * 1024;
const QUEUE_SIZE = 2;
/** The largest object CopyObject copies in one call. */
const MAX_COPY = 5 * 1024 * 1024 * 1024;
/** Chunk objects of an upload session are named by their start offset, zero-padded so they sort. */
const OFFSET_DIGITS = 16;
const SESSION_MARKER = 'session';
/** Beside a chunk object: the upload's digest up to the end of that chunk, as the appending server hashed it. */
const DIGEST_NOTE = '.sha256';

interface DigestNote {
  digest: string;
  size: number;
  etag: string;
}

/** Counts (and optionally hashes) what streams through; with `expect` it fails at the end on a mismatch. */
class Verifier extends Transform {
  bytes = 0;
  constructor(
    readonly hash: Hash | null,
    readonly expect: string | null = null,
  ) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback) {
    this.hash?.update(chunk);
    this.bytes += chunk.length;
    done(null, chunk);
  }
  // Failing here, before the stream ends, makes the uploader abort instead of publishing the object.
  override _flush(done: TransformCallback) {
    if (this.expect && this.hash) {
      const actual = `sha256:${this.hash.copy().digest('hex')}`;
      if (actual !== this.expect) {
        return done(new BlobStoreError('DIGEST_MISMATCH', `content hashes to ${actual}, not ${this.expect}`));
      }
    }
    done();
  }
}

function notFound(error: unknown): boolean {
  if (!(error instanceof S3ServiceException)) return false;
  return error.name === 'NotFound' || error.name === 'NoSuchKey' || error.$metadata?.httpStatusCode === 404;
}

/** Whatever `source` is carrying when an upload fails is drained, so the HTTP request can finish. */
function drain(source: Readable) {
  source.resume();
}

/**
 * Blobs in any S3-compatible object store. A blob is one object, `blobs/sha256/<hex>`, written by a
 * multipart upload whose last part is sent only after the bytes hashed to the digest: a mismatch
 * aborts the upload and nothing becomes visible. An upload session is a set of chunk objects
 * `uploads/<id>/<offset>`, so any server can take the next chunk; committing streams them once
 * through the hash into the blob (or, when this process hashed a one-chunk upload, copies it inside
 * the store). Named objects (archived logs) live under `objects/`.
 */
export class S3BlobStore implements BlobStore {
  readonly client: S3Client;
  // Running hashes of upload sessions this process appended every chunk of (as in FsBlobStore).
  readonly #hashes = new Map<string, { hash: Hash; size: number }>();
  readonly #locks = new KeyedLock();

  constructor(readonly options: S3BlobStoreOptions) {
    this.client = new S3Client({
      region: options.region,
      endpoint: options.endpoint ?? undefined,
      forcePathStyle: options.forcePathStyle,
      credentials: options.credentials,
      // Checksums on every request would hash every layer twice more; digests already cover them.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  get #bucket() {
    return this.options.bucket;
  }

  #blobKey(digest: string): string {
    const hex = digest.slice('sha256:'.length);
    if (!digest.startsWith('sha256:') || !HEX.test(hex)) throw new Error(`not a sha256 digest: ${digest}`);
    return `${this.options.prefix}blobs/sha256/${hex}`;
  }

  #uploadPrefix(id: string): string {
    if (!UPLOAD_ID.test(id)) throw new BlobStoreError('UPLOAD_UNKNOWN', `bad upload id ${id}`);
    return `${this.options.prefix}uploads/${id}/`;
  }

  #objectKey(key: string): string {
    if (!OBJECT_KEY.test(key)) throw new Error(`not an object key: ${key}`);
    return `${this.options.prefix}objects/${key}`;
  }

  /** Streams `body` into `key`; the object appears only once the whole body arrived (and verified). */
  /** Resolves with the new object's ETag. */
  async #upload(key: string, body: Readable, contentType = 'application/octet-stream'): Promise<string> {
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.#bucket, Key: key, Body: body, ContentType: contentType },
      partSize: PART_SIZE,
      queueSize: QUEUE_SIZE,
    });
    return (await upload.done()).ETag ?? '';
  }

  async #list(prefix: string): Promise<{ key: string; size: number; modifiedAt: Date; etag: string }[]> {
    const out: { key: string; size: number; modifiedAt: Date; etag: string }[] = [];
    for await (const page of paginateListObjectsV2(
      { client: this.client },
      { Bucket: this.#bucket, Prefix: prefix },
    )) {
      for (const item of page.Contents ?? []) {
        if (item.Key)
          out.push({
            key: item.Key,
            size: item.Size ?? 0,
            modifiedAt: item.LastModified ?? new Date(0),
            etag: item.ETag ?? '',
          });
      }
    }
    return out;
  }

  async #deleteKeys(keys: string[]): Promise<void> {
    for (let i = 0; i < keys.length; i += 1000) {
      const batch = keys.slice(i, i + 1000);
      if (batch.length === 1) {
        await this.client.send(new DeleteObjectCommand({ Bucket: this.#bucket, Key: batch[0] }));
        continue;
      }
      await this.client.send(
        new DeleteObjectsCommand({
          Bucket: this.#bucket,
          Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true },
        }),
      );
    }
  }

  async stat(digest: string): Promise<number | null> {
    try {
      const head = await this.client.send(
        new HeadObjectCommand({ Bucket: this.#bucket, Key: this.#blobKey(digest) }),
      );
      return head.ContentLength ?? 0;
    } catch (error) {
      if (notFound(error)) return null;
      throw error;
    }
  }

  async read(digest: string, range?: ByteRange): Promise<Readable> {
    try {
      const object = await this.client.send(
        new GetObjectCommand({
          Bucket: this.#bucket,
          Key: this.#blobKey(digest),
          Range: range ? `bytes=${range.start}-${range.end}` : undefined,
        }),
      );
      return object.Body as Readable;
    } catch (error) {
      if (notFound(error)) throw missingBlob(digest);
      throw error;
    }
  }

  async put(digest: string, source: Readable): Promise<number> {
    const verifier = new Verifier(createHash('sha256'), digest);
    source.on('error', (error) => verifier.destroy(error));
    try {
      await this.#upload(this.#blobKey(digest), source.pipe(verifier));
    } catch (error) {
      drain(source);
      throw error;
    }
    return verifier.bytes;
  }

  async delete(digest: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.#bucket, Key: this.#blobKey(digest) }));
  }

  async *list(): AsyncIterable<{ digest: string; modifiedAt: Date }> {
    const prefix = `${this.options.prefix}blobs/sha256/`;
    for await (const page of paginateListObjectsV2(
      { client: this.client },
      { Bucket: this.#bucket, Prefix: prefix },
    )) {
      for (const item of page.Contents ?? []) {
        const hex = item.Key?.slice(prefix.length) ?? '';
        if (HEX.test(hex)) yield { digest: `sha256:${hex}`, modifiedAt: item.LastModified ?? new Date(0) };
      }
    }
  }

  async createUpload(id: string): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.#bucket,
        Key: this.#uploadPrefix(id) + SESSION_MARKER,
        Body: '',
        ContentLength: 0,
      }),
    );
    this.#hashes.set(id, { hash: createHash('sha256'), size: 0 });
  }

  /** The session's chunks in order, or null when it does not exist. */
  async #chunks(id: string): Promise<{ key: string; offset: number; size: number; etag: string }[] | null> {
    const prefix = this.#uploadPrefix(id);
    const objects = await this.#list(prefix);
    if (!objects.some((o) => o.key === prefix + SESSION_MARKER)) return null;
    return objects
      .filter((o) => /^\d+$/.test(o.key.slice(prefix.length)))
      .map((o) => ({ key: o.key, offset: Number(o.key.slice(prefix.length)), size: o.size, etag: o.etag }))
      .sort((a, b) => a.offset - b.offset);
  }

  /** The bytes the chunks hold from 0 without a gap (a chunk past a gap cannot be part of the blob). */
  #contiguous(chunks: { offset: number; size: number }[]): number {
    let size = 0;
    for (const chunk of chunks) {
      if (chunk.offset !== size) break;
      size += chunk.size;
    }
    return size;
  }

  async uploadSize(id: string): Promise<number | null> {
    const chunks = await this.#chunks(id);
    return chunks ? this.#contiguous(chunks) : null;
  }

  appendUpload(id: string, offset: number | null, source: Readable): Promise<number> {
    return this.#locks.run(id, async () => {
      const chunks = await this.#chunks(id).catch((error) => {
        drain(source);
        throw error;
      });
      if (chunks === null) {
        drain(source);
        throw new BlobStoreError('UPLOAD_UNKNOWN', `upload ${id} does not exist`);
      }
      const size = this.#contiguous(chunks);
      if (offset !== null && offset !== size) {
        drain(source);
        throw new BlobStoreError('OFFSET_MISMATCH', `the upload holds ${size} bytes, not ${offset}`, size);
      }
      let state = this.#hashes.get(id);
      if (state && state.size !== size) {
        this.#hashes.delete(id);
        state = undefined;
      }
      // The first chunk can be hashed from the start whichever server created the session.
      if (!state && size === 0) {
        state = { hash: createHash('sha256'), size: 0 };
        this.#hashes.set(id, state);
      }
      // Hash a copy: a chunk that fails halfway must not leave its bytes in the running hash.
      const verifier = new Verifier(state ? state.hash.copy() : null);
      source.on('error', (error) => verifier.destroy(error));
      const key = `${this.#uploadPrefix(id)}${String(size).padStart(OFFSET_DIGITS, '0')}`;
      let etag: string;
      try {
        etag = await this.#upload(key, source.pipe(verifier));
      } catch (error) {
        // Nothing of a failed chunk is kept: the client resumes from the size it had.
        drain(source);
        throw error;
      }
      if (state && verifier.hash) {
        state.hash = verifier.hash;
        state.size += verifier.bytes;
        // The digest so far, for a commit that lands on another server (behind a balancer): it
        // then copies inside the store instead of reading the chunks back. Tied to this chunk's
        // ETag, so a chunk replaced since is re-hashed, never trusted.
        const digestSoFar = `sha256:${state.hash.copy().digest('hex')}`;
        const note: DigestNote = { digest: digestSoFar, size: state.size, etag };
        await this.client
          .send(
            new PutObjectCommand({
              Bucket: this.#bucket,
              Key: `${key}${DIGEST_NOTE}`,
              Body: JSON.stringify(note),
              ContentType: 'application/json',
            }),
          )
          .catch(() => {});
      }
      return size + verifier.bytes;
    });
  }

  commitUpload(id: string, digest: string): Promise<number> {
    return this.#locks.run(id, async () => {
      const chunks = await this.#chunks(id);
      if (chunks === null) throw new BlobStoreError('UPLOAD_UNKNOWN', `upload ${id} does not exist`);
      const size = this.#contiguous(chunks);
      const parts = chunks.filter((c) => c.offset < size && c.size > 0);
      const state = this.#hashes.get(id);
      const known =
        state && state.size === size
          ? `sha256:${state.hash.copy().digest('hex')}`
          : await this.#notedDigest(parts.at(-1), size);
      if (known && known !== digest) {
        throw new BlobStoreError('DIGEST_MISMATCH', `the uploaded content hashes to ${known}, not ${digest}`);
      }
      const target = this.#blobKey(digest);
      if (known && parts.length === 1 && size <= MAX_COPY) {
        // Already verified: copy inside the store, no byte passes through this server.
        await this.client.send(
          new CopyObjectCommand({
            Bucket: this.#bucket,
            Key: target,
            CopySource: encodeURI(`${this.#bucket}/${parts[0].key}`),
            // The bytes hashed are the bytes copied, even if the chunk was replaced meanwhile.
            CopySourceIfMatch: parts[0].etag || undefined,
            ContentType: 'application/octet-stream',
            MetadataDirective: 'REPLACE',
          }),
        );
      } else if (parts.length === 0) {
        await this.put(digest, Readable.from([]));
      } else {
        await this.put(digest, this.#concatenate(parts.map((p) => p.key)));
      }
      await this.deleteUpload(id);
      return size;
    });
  }

  /** The digest another server noted after appending `last`, when it still describes the upload. */
  async #notedDigest(last: { key: string; etag: string } | undefined, size: number): Promise<string | null> {
    if (!last?.etag) return null;
    try {
      const object = await this.client.send(
        new GetObjectCommand({ Bucket: this.#bucket, Key: `${last.key}${DIGEST_NOTE}` }),
      );
      const note = JSON.parse(
        await (object.Body as { transformToString(): Promise<string> }).transformToString(),
      );
      const ok = note.size === size && note.etag === last.etag && /^sha256:[0-9a-f]{64}$/.test(note.digest);
      return ok ? note.digest : null;
    } catch {
      return null;
    }
  }

  /** The chunk objects one after another, each fetched only when the previous one is done. */
  #concatenate(keys: string[]): Readable {
    const out = new PassThrough({ highWaterMark: 1024 * 1024 });
    (async () => {
      for (const key of keys) {
        const object = await this.client.send(new GetObjectCommand({ Bucket: this.#bucket, Key: key }));
        for await (const chunk of object.Body as Readable) {
          if (!out.write(chunk)) await new Promise((resolve) => out.once('drain', resolve));
        }
      }
      out.end();
    })().catch((error) => out.destroy(error));
    return out;
  }

  async deleteUpload(id: string): Promise<void> {
    this.#hashes.delete(id);
    const objects = await this.#list(this.#uploadPrefix(id));
    // The marker goes last, so a crash halfway leaves a session the garbage collector still finds.
    const marker = objects.filter((o) => o.key.endsWith(`/${SESSION_MARKER}`)).map((o) => o.key);
    await this.#deleteKeys(objects.filter((o) => !o.key.endsWith(`/${SESSION_MARKER}`)).map((o) => o.key));
    await this.#deleteKeys(marker);
  }

  async *listUploads(): AsyncIterable<{ id: string; modifiedAt: Date }> {
    const prefix = `${this.options.prefix}uploads/`;
    const sessions = new Map<string, Date>();
    for (const object of await this.#list(prefix)) {
      const id = object.key.slice(prefix.length).split('/')[0];
      if (!UPLOAD_ID.test(id)) continue;
      const seen = sessions.get(id);
      if (!seen || seen < object.modifiedAt) sessions.set(id, object.modifiedAt);
    }
    for (const [id, modifiedAt] of sessions) yield { id, modifiedAt };
  }

  /** Multipart uploads a crash or a dropped client left open hold storage until aborted. */
  async removeStaleTemp(before: Date): Promise<number> {
    let removed = 0;
    let keyMarker: string | undefined;
    let uploadIdMarker: string | undefined;
    for (;;) {
      const page = await this.client.send(
        new ListMultipartUploadsCommand({
          Bucket: this.#bucket,
          Prefix: this.options.prefix || undefined,
          KeyMarker: keyMarker,
          UploadIdMarker: uploadIdMarker,
        }),
      );
      for (const upload of page.Uploads ?? []) {
        if (!upload.Key || !upload.UploadId || !upload.Initiated || upload.Initiated >= before) continue;
        await this.client.send(
          new AbortMultipartUploadCommand({
            Bucket: this.#bucket,
            Key: upload.Key,
            UploadId: upload.UploadId,
          }),
        );
        removed++;
      }
      if (!page.IsTruncated) return removed;
      keyMarker = page.NextKeyMarker;
      uploadIdMarker = page.NextUploadIdMarker;
    }
  }

  async downloadUrl(digest: string, seconds: number): Promise<string | null> {
    if (!this.options.redirect) return null;
    return getSignedUrl(
      this.client,
      new GetObjectCommand({
        Bucket: this.#bucket,
        Key: this.#blobKey(digest),
        ResponseContentType: 'application/octet-stream',
      }),
      { expiresIn: seconds },
    );
  }

  async putObject(key: string, source: Readable): Promise<number> {
    const counter = new Verifier(null);
    source.on('error', (error) => counter.destroy(error));
    await this.#upload(this.#objectKey(key), source.pipe(counter));
    return counter.bytes;
  }

  async getObject(key: string): Promise<Readable | null> {
    try {
      const object = await this.client.send(
        new GetObjectCommand({ Bucket: this.#bucket, Key: this.#objectKey(key) }),
      );
      return object.Body as Readable;
    } catch (error) {
      if (notFound(error)) return null;
      throw error;
    }
  }

  async deleteObject(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.#bucket, Key: this.#objectKey(key) }));
  }

  async check(): Promise<void> {
    await this.client.send(new HeadBucketCommand({ Bucket: this.#bucket }));
  }

  /** Closes the client's sockets (tests, shutdown). */
  destroy() {
    this.client.destroy();
  }
}
