import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/server/config.js';
import { createTestDatabase } from '../helpers/database.js';
import { freePort } from '../helpers/free-port.js';
import { killAll, spawnBenchline, startServerProcess } from '../helpers/processes.js';
import { startS3Server } from '../helpers/s3-server.js';

afterEach(() => killAll());
const dir = await mkdtemp(join(tmpdir(), 'benchline-blob-config-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

const store = (value: string, env: Record<string, string> = {}) =>
  loadConfig({ BENCHLINE_BLOB_STORE: value, ...env }).blobStore;

describe('BENCHLINE_BLOB_STORE', () => {
  it('defaults to the disk, and reads an s3:// URL', () => {
    expect(loadConfig({}).blobStore).toBeNull();
    expect(store('disk')).toBeNull();
    expect(store('s3://bench-blobs/team/a?endpoint=http://minio:9000&redirect=false')).toEqual({
      bucket: 'bench-blobs',
      prefix: 'team/a/',
      endpoint: 'http://minio:9000',
      region: 'us-east-1',
      forcePathStyle: true,
      redirect: false,
    });
    expect(store('s3://bench-blobs', { AWS_REGION: 'eu-west-1' })).toMatchObject({
      endpoint: null,
      region: 'eu-west-1',
      forcePathStyle: false,
      redirect: true,
    });
  });

  it.each([
    ['ftp://bucket', /only s3:\/\//],
    ['s3://Bad_Bucket?region=x', /not a bucket name/],
    ['s3://bucket?region=x&color=blue', /parameter color is not known/],
    ['s3://bucket?endpoint=minio:9000', /http:\/\/ or https:\/\//],
    ['s3://key:secret@bucket?region=x', /AWS_ACCESS_KEY_ID/],
    ['s3://bucket?region=x&redirect=maybe', /redirect=maybe: use true or false/],
    ['s3://bucket', /no region/],
    ['not a url', /not a URL/],
  ])('refuses %s with a message naming the fix', (value, message) => {
    let error: unknown;
    try {
      store(value);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/^BENCHLINE_BLOB_STORE=/);
    expect((error as Error).message).toMatch(message);
    // A secret written into the URL must not come back in the message.
    if (value.includes('secret')) expect((error as Error).message).not.toContain('secret@');
  });

  it('refuses a bad redirect lifetime or archive age', () => {
    expect(() => loadConfig({ BENCHLINE_BLOB_REDIRECT_SECONDS: '5' })).toThrow(ConfigError);
    expect(() => loadConfig({ BENCHLINE_LOG_ARCHIVE_AFTER: 'soon' })).toThrow(ConfigError);
    expect(loadConfig({ BENCHLINE_LOG_ARCHIVE_AFTER: 'never' }).logArchiveAfterSeconds).toBeNull();
  });
});

describe('benchline server with a blob store', () => {
  it('stops at start with exit 2 on a bad URL, a missing bucket or an unreachable store; starts on a good one', async () => {
    const database = await createTestDatabase();
    const s3 = await startS3Server();
    afterAll(() => s3.stop());
    const attempt = async (env: Record<string, string>) => {
      const p = spawnBenchline('server', ['server'], {
        PORT: String(await freePort()),
        DATABASE_URL: database.url,
        BENCHLINE_DATA_DIR: join(dir, 'data'),
        ...env,
      });
      const code = await p.exited;
      return { code, output: p.output() };
    };
    const bad = await attempt({ BENCHLINE_BLOB_STORE: 's3://bucket?region=x&colour=red' });
    expect(bad.code).toBe(2);
    expect(bad.output).toMatch(/configuration error: BENCHLINE_BLOB_STORE=.*parameter colour is not known/);

    const missing = await attempt({
      ...s3.env,
      BENCHLINE_BLOB_STORE: s3.url.replace(s3.bucket, 'no-such-bucket'),
    });
    expect(missing.code).toBe(2);
    expect(missing.output).toMatch(
      /configuration error: the blob store s3:\/\/no-such-bucket\/ at .* cannot be used/,
    );
    expect(missing.output).not.toContain(s3.env.AWS_SECRET_ACCESS_KEY);

    const port = await freePort();
    const server = await startServerProcess('s3-server', {
      port,
      databaseUrl: database.url,
      dataDir: join(dir, 'data'),
      env: s3.env,
    });
    const head = await fetch(`http://127.0.0.1:${port}/v2/`);
    expect([200, 401]).toContain(head.status);
    await server.kill('SIGTERM');

    await s3.stop();
    const gone = await attempt(s3.env);
    expect(gone.code).toBe(2);
    expect(gone.output).toMatch(/configuration error: the blob store .* cannot be used/);
  }, 120_000);
});
