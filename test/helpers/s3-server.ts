import { randomUUID } from 'node:crypto';
import { freePort } from './free-port.js';
import { spawnListening } from './listening-process.js';

/**
 * An S3-compatible server of the test's own: moto's `moto_server` (docs/operations.md, "Blob
 * storage", says why moto). Its objects live in that process's memory, so each call starts a fresh
 * one with one empty bucket.
 */
export interface TestS3Server {
  /** The `BENCHLINE_BLOB_STORE` value for the bucket. */
  url: string;
  /** What a server process needs: BENCHLINE_BLOB_STORE and the AWS_* credentials. */
  env: Record<string, string>;
  endpoint: string;
  bucket: string;
  /** moto's access log so far (one line a request: method, path with query, status), the last 256 KiB. */
  requestLog(): string;
  /** moto_server's process id; it dies with the process that started it (listening-process.ts). */
  pid: number;
  stop(): Promise<void>;
}

export const MOTO_SERVER = process.env.MOTO_SERVER ?? 'moto_server';

/**
 * Starts moto_server on a free port and creates a bucket. The endpoint is named `localhost` while
 * the Benchline server listens on 127.0.0.1: a redirect to the store then goes to another host, as
 * it does in production, so clients drop their registry token on the way (as they must: S3 refuses
 * a request carrying two kinds of authentication).
 */
export async function startS3Server(options: { redirect?: boolean } = {}): Promise<TestS3Server> {
  const port = await freePort();
  const moto = await spawnListening({
    command: MOTO_SERVER,
    args: ['-H', '127.0.0.1', '-p', String(port)],
    port,
    env: { ...process.env, MOTO_ALLOW_NONEXISTENT_REGION: 'true' },
    hint: `it comes with the python3 moto package, "pip install 'moto[server]'"`,
  });
  const endpoint = `http://localhost:${port}`;
  const bucket = `benchline-test-${randomUUID().slice(0, 8)}`;
  const created = await fetch(`http://127.0.0.1:${port}/${bucket}`, { method: 'PUT' });
  if (!created.ok) {
    await moto.stop();
    throw new Error(`moto_server refused to create a bucket: ${created.status}`);
  }
  const url = `s3://${bucket}?endpoint=${encodeURIComponent(endpoint)}&region=us-east-1&forcePathStyle=true${
    options.redirect === false ? '&redirect=false' : ''
  }`;
  return {
    url,
    endpoint,
    bucket,
    requestLog: () => moto.output(),
    pid: moto.child.pid as number,
    env: {
      BENCHLINE_BLOB_STORE: url,
      AWS_ACCESS_KEY_ID: 'benchline-test',
      AWS_SECRET_ACCESS_KEY: 'benchline-test-secret',
      AWS_REGION: 'us-east-1',
    },
    stop: () => moto.stop(),
  };
}
