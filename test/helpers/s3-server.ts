import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { connect as netConnect } from 'node:net';
import { freePort } from './free-port.js';

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
  stop(): Promise<void>;
}

export const MOTO_SERVER = process.env.MOTO_SERVER ?? 'moto_server';

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = netConnect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Starts moto_server on a free port and creates a bucket. The endpoint is named `localhost` while
 * the Benchline server listens on 127.0.0.1: a redirect to the store then goes to another host, as
 * it does in production, so clients drop their registry token on the way (as they must: S3 refuses
 * a request carrying two kinds of authentication).
 */
export async function startS3Server(options: { redirect?: boolean } = {}): Promise<TestS3Server> {
  const port = await freePort();
  let output = '';
  const child: ChildProcess = spawn(MOTO_SERVER, ['-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, MOTO_ALLOW_NONEXISTENT_REGION: 'true' },
  });
  child.stdout?.on('data', (chunk) => {
    output = (output + chunk).slice(-256 * 1024);
  });
  child.stderr?.on('data', (chunk) => {
    output = (output + chunk).slice(-256 * 1024);
  });
  const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));
  const until = Date.now() + 20_000;
  for (;;) {
    if (await listening(port)) break;
    const failed = await Promise.race([spawnError, new Promise((r) => setTimeout(r, 100, null))]);
    if (failed || child.exitCode !== null || Date.now() > until) {
      child.kill('SIGKILL');
      throw new Error(
        `moto_server did not start (it comes with the python3 moto package, "pip install 'moto[server]'"): ${
          (failed as Error | null)?.message ?? output.slice(-2000)
        }`,
      );
    }
  }
  const endpoint = `http://localhost:${port}`;
  const bucket = `benchline-test-${randomUUID().slice(0, 8)}`;
  const created = await fetch(`http://127.0.0.1:${port}/${bucket}`, { method: 'PUT' });
  if (!created.ok) throw new Error(`moto_server refused to create a bucket: ${created.status}`);
  const url = `s3://${bucket}?endpoint=${encodeURIComponent(endpoint)}&region=us-east-1&forcePathStyle=true${
    options.redirect === false ? '&redirect=false' : ''
  }`;
  return {
    url,
    endpoint,
    bucket,
    requestLog: () => output,
    env: {
      BENCHLINE_BLOB_STORE: url,
      AWS_ACCESS_KEY_ID: 'benchline-test',
      AWS_SECRET_ACCESS_KEY: 'benchline-test-secret',
      AWS_REGION: 'us-east-1',
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    },
  };
}
