import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { createApiClient } from '../../src/cli/api/client.js';

// The CLI's start-up shortcuts (docs/cli.md) must not change what it does: its requests go over
// node:http instead of fetch, and bin/benchline.js runs the bundle only when it is fresh.

const run = promisify(execFile);
const noWait = { sleep: async () => {}, attempts: 3 };
let server: Server | undefined;

afterEach(async () => {
  server?.close();
  server = undefined;
});

async function serve(handler: (request: IncomingMessage, body: string, response: ServerResponse) => void) {
  server = createServer(async (request, response) => {
    let body = '';
    for await (const chunk of request) body += chunk;
    handler(request, body, response);
  }).listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('the API client over node:http', () => {
  it('posts the operation with the token and reads the answer', async () => {
    const seen: Array<{ auth?: string; type?: string; body: string }> = [];
    const host = await serve((request, body, response) => {
      seen.push({ auth: request.headers.authorization, type: request.headers['content-type'], body });
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ data: { me: { id: 'u1', name: 'é' } } }));
    });
    const client = createApiClient({ host, token: 'tok', tokenSource: 'flag' });
    expect(await client.request('query { me { id name } }', { a: 1 })).toEqual({
      me: { id: 'u1', name: 'é' },
    });
    expect(seen).toEqual([
      {
        auth: 'Bearer tok',
        type: 'application/json',
        body: JSON.stringify({ query: 'query { me { id name } }', variables: { a: 1 } }),
      },
    ]);
  });

  it('retries a 5xx, then gives the GraphQL error its code', async () => {
    let calls = 0;
    const host = await serve((_request, _body, response) => {
      calls++;
      if (calls === 1) {
        response.statusCode = 502;
        response.end('bad gateway');
        return;
      }
      response.end(JSON.stringify({ errors: [{ message: 'no spec', extensions: { code: 'NO_SPEC' } }] }));
    });
    const client = createApiClient({ host, token: null, tokenSource: 'none' }, { retry: noWait });
    await expect(client.request('query { x }')).rejects.toMatchObject({
      message: expect.stringMatching(/no spec/),
    });
    expect(calls).toBe(2);
  });

  it('says the server cannot be reached when nothing listens, after retrying (nothing was sent)', async () => {
    const host = await serve(() => {});
    server?.close();
    await once(server!, 'close');
    const client = createApiClient({ host, token: null, tokenSource: 'none' }, { retry: noWait });
    await expect(client.request('mutation { cancelJob(id: "x") { id } }')).rejects.toThrow(/cannot reach/);
  });

  it('reads a rate limit answer as the server’s error', async () => {
    const host = await serve((_request, _body, response) => {
      response.statusCode = 429;
      response.setHeader('retry-after', '1');
      response.end(
        JSON.stringify({ errors: [{ message: 'slow down', extensions: { code: 'RATE_LIMITED' } }] }),
      );
    });
    const client = createApiClient({ host, token: null, tokenSource: 'none' }, { retry: noWait });
    await expect(client.request('query { x }')).rejects.toMatchObject({
      message: expect.stringMatching(/slow down/),
    });
  });
});

describe('bin/benchline.js', () => {
  function layout(): { dir: string; compiled: string; bundled: string } {
    const dir = mkdtempSync(join(tmpdir(), 'benchline-entry-'));
    mkdirSync(join(dir, 'bin'));
    copyFileSync(join(import.meta.dirname, '../../bin/benchline.js'), join(dir, 'bin/benchline.js'));
    mkdirSync(join(dir, 'dist/src/cli'), { recursive: true });
    mkdirSync(join(dir, 'dist/cli'), { recursive: true });
    const compiled = join(dir, 'dist/src/cli/main.js');
    const bundled = join(dir, 'dist/cli/benchline.js');
    writeFileSync(compiled, "console.log('compiled');\n");
    writeFileSync(bundled, "console.log('bundled');\n");
    return { dir, compiled, bundled };
  }

  it('runs the bundle when it is as new as tsc’s output, and tsc’s output when the bundle is older', async () => {
    const { dir, compiled, bundled } = layout();
    try {
      const at = Date.now() / 1000;
      utimesSync(compiled, at - 10, at - 10);
      utimesSync(bundled, at, at);
      expect((await run(process.execPath, [join(dir, 'bin/benchline.js')])).stdout).toBe('bundled\n');
      // A `tsc` alone after a change: the bundle is stale and must not run.
      utimesSync(compiled, at + 10, at + 10);
      expect((await run(process.execPath, [join(dir, 'bin/benchline.js')])).stdout).toBe('compiled\n');
      rmSync(bundled);
      expect((await run(process.execPath, [join(dir, 'bin/benchline.js')])).stdout).toBe('compiled\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
