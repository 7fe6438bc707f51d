import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CallAbortedError, RunnerApiError, RunnerClient, TransientError } from './client.js';
import { documentId } from './document-ids.js';
import type { Executor } from './executors/executor.js';
import { startRunner } from './main.js';
import { CLAIM_JOB, HEARTBEAT_JOB } from './operations.js';
import type { RunnerTransport, TransportRequest, TransportResponse } from './transport.js';

let server: Server | undefined;

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

async function serve(
  handler: (req: IncomingMessage, body: any, res: ServerResponse) => void,
): Promise<string> {
  server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => {
      raw += c;
    });
    req.on('end', () => handler(req, raw ? JSON.parse(raw) : undefined, res));
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
}

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

const fastClient = (serverUrl: string) =>
  new RunnerClient({ serverUrl, key: 'k', initialRetryDelayMs: 1, maxRetryDelayMs: 5, callTimeoutMs: 2000 });

describe('RunnerClient', () => {
  it('retries 5xx and rate limits until the call is acknowledged, sending the key and the same variables', async () => {
    const seen: unknown[] = [];
    let calls = 0;
    const url = await serve((req, body, res) => {
      expect(req.headers.authorization).toBe('Bearer k');
      seen.push(body.variables);
      calls++;
      if (calls === 1) return json(res, 503, {});
      if (calls === 2)
        return json(res, 200, { errors: [{ message: 'slow down', extensions: { code: 'RATE_LIMITED' } }] });
      json(res, 200, { data: { heartbeatJob: { cancel: true } } });
    });
    await expect(fastClient(url).heartbeatJob('j1')).resolves.toEqual({ cancel: true });
    expect(calls).toBe(3);
    expect(seen).toEqual([{ jobId: 'j1' }, { jobId: 'j1' }, { jobId: 'j1' }]);
  });

  it('sends NUL characters of a workload’s output as U+FFFD (the server refuses text holding NUL)', async () => {
    let sent: any;
    const url = await serve((_req, body, res) => {
      sent = body.variables;
      json(res, 200, { data: { completeJob: { id: 'j1', status: 'PROCESSED' } } });
    });
    await fastClient(url).completeJob('j1', 0, [
      { iteration: 0, exitCode: 0, stdout: 'a\u0000b', files: { '/out/x\u0000.bin': '\u0000' } },
    ]);
    expect(sent.outputs).toEqual([
      { iteration: 0, exitCode: 0, stdout: 'a\uFFFDb', files: { '/out/x\uFFFD.bin': '\uFFFD' } },
    ]);
  });

  it('waits what a 429’s Retry-After says before the next attempt', async () => {
    const at: number[] = [];
    const url = await serve((_req, _body, res) => {
      at.push(Date.now());
      if (at.length === 1) {
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' });
        return res.end(
          JSON.stringify({ errors: [{ message: 'slow down', extensions: { code: 'RATE_LIMITED' } }] }),
        );
      }
      json(res, 200, { data: { heartbeatJob: { cancel: false } } });
    });
    await expect(fastClient(url).heartbeatJob('j1')).resolves.toEqual({ cancel: false });
    // fastClient's own backoff is at most 5 ms.
    expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(950);
  });

  it('treats typed API errors as final', async () => {
    let calls = 0;
    const url = await serve((_req, _body, res) => {
      calls++;
      json(res, 200, {
        errors: [{ message: 'expected seq 3', extensions: { code: 'LOG_GAP', expectedSeq: 3 } }],
      });
    });
    const error = await fastClient(url)
      .appendJobLogs('j', [{ stream: 'STDOUT', seq: 5, data: Buffer.from('x') }])
      .catch((e) => e);
    expect(error).toBeInstanceOf(RunnerApiError);
    expect(error.code).toBe('LOG_GAP');
    expect(error.extensions.expectedSeq).toBe(3);
    expect(calls).toBe(1);
  });

  it('sends log data as base64 and gives up on an unreachable server only when told to', async () => {
    const url = await serve((_req, body, res) => {
      expect(body.variables.chunks).toEqual([
        { stream: 'STDERR', seq: 0, data: Buffer.from('héllo').toString('base64') },
      ]);
      json(res, 200, { data: { appendJobLogs: true } });
    });
    await fastClient(url).appendJobLogs('j', [{ stream: 'STDERR', seq: 0, data: Buffer.from('héllo') }]);

    const dead = fastClient('http://127.0.0.1:1');
    await expect(dead.startJob('j', { attempts: 2 })).rejects.toBeInstanceOf(TransientError);
    const error = await dead.startJob('j', { signal: AbortSignal.timeout(100) }).catch((e) => e);
    expect(error).toBeInstanceOf(CallAbortedError);
    expect(error.message).toMatch(/cannot reach/);
  });

  it('times out an attempt that gets no answer and tries again', async () => {
    let calls = 0;
    const url = await serve((_req, _body, res) => {
      calls++;
      if (calls === 1) return; // never answers
      json(res, 200, { data: { startJob: true } });
    });
    const client = new RunnerClient({ serverUrl: url, key: 'k', initialRetryDelayMs: 1, callTimeoutMs: 200 });
    await client.startJob('j');
    expect(calls).toBe(2);
  });

  it('keeps connections alive across calls by default and closes them on close()', async () => {
    const sockets = new Set<unknown>();
    const url = await serve((req, _body, res) => {
      sockets.add(req.socket);
      json(res, 200, { data: { startJob: { id: 'j' } } });
    });
    const client = fastClient(url);
    for (let i = 0; i < 10; i++) await client.startJob('j');
    // undici's pool may open a second connection while the first is not yet marked free; not one per call.
    expect(sockets.size).toBeLessThanOrEqual(2);
    const closed = Promise.all(
      [...(sockets as Set<Socket>)].map((socket) => new Promise((resolve) => socket.once('close', resolve))),
    );
    await client.close();
    await closed;
    await expect(client.startJob('j')).rejects.toThrow(/closed/);
  });

  it('names the timeout, the refused connection and a body that is not GraphQL', async () => {
    const url = await serve((_req, body, res) => {
      if (body.variables.jobId === 'silent') return;
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>a proxy</html>');
    });
    const client = new RunnerClient({ serverUrl: url, key: 'k', callTimeoutMs: 150 });
    const timedOut = await client.startJob('silent', { attempts: 1 }).catch((e) => e);
    expect(timedOut).toBeInstanceOf(TransientError);
    expect(timedOut.message).toBe(`cannot reach ${url}: no answer within 150 ms`);

    const html = await client.startJob('j', { attempts: 1 }).catch((e) => e);
    expect(html).toBeInstanceOf(RunnerApiError);
    expect(html.code).toBe('BAD_RESPONSE');
    expect(html.message).toMatch(/not GraphQL; is the server URL right\?/);
    await client.close();

    const refused = await fastClient('http://127.0.0.1:1')
      .startJob('j', { attempts: 1 })
      .catch((e) => e);
    expect(refused).toBeInstanceOf(TransientError);
    expect(refused.message).toBe('cannot reach http://127.0.0.1:1: ECONNREFUSED');

    expect(() => new RunnerClient({ serverUrl: 'localhost:8080', key: 'k' })).toThrow(
      /http:\/\/ or https:\/\//,
    );
  });

  it('goes through an injected transport: 5xx and 429 retried, typed errors final, closed with the client', async () => {
    const seen: TransportRequest[] = [];
    const answers: TransportResponse[] = [
      { status: 502, text: 'bad gateway' },
      { status: 429, text: '' },
      { status: 200, text: JSON.stringify({ data: { heartbeatJob: { cancel: false } } }) },
      {
        status: 200,
        text: JSON.stringify({ errors: [{ message: 'gone', extensions: { code: 'NOT_FOUND' } }] }),
      },
    ];
    let closed = 0;
    const transport: RunnerTransport = {
      post: async (request) => {
        seen.push(request);
        return answers.shift()!;
      },
      close: async () => {
        closed++;
      },
    };
    const client = new RunnerClient({
      serverUrl: 'http://server',
      key: 'k',
      transport,
      initialRetryDelayMs: 1,
      maxRetryDelayMs: 2,
    });
    await expect(client.heartbeatJob('j1')).resolves.toEqual({ cancel: false });
    expect(seen).toHaveLength(3);
    expect(seen[0]!.headers.authorization).toBe('Bearer k');
    expect(JSON.parse(seen[2]!.body).variables).toEqual({ jobId: 'j1' });
    expect(seen.map((r) => r.timeoutMs)).toEqual([15_000, 15_000, 15_000]);
    const error = await client.startJob('j1').catch((e) => e);
    expect(error).toBeInstanceOf(RunnerApiError);
    expect(error.code).toBe('NOT_FOUND');
    expect(seen).toHaveLength(4);
    await client.close();
    expect(closed).toBe(1);
  });

  it('gives the claim long-poll its wait on top of the call timeout, and aborts the attempt in flight', async () => {
    let release: (() => void) | undefined;
    const url = await serve((_req, body, res) => {
      // Answers only when the test says so: the client must not give up by itself first.
      release = () => json(res, 200, { data: { claimJob: null } });
      expect(body.variables.waitSeconds).toBe(1);
    });
    const client = new RunnerClient({ serverUrl: url, key: 'k', callTimeoutMs: 100 });
    const claim = client.claimJob(undefined, 1);
    await new Promise((r) => setTimeout(r, 400));
    release!();
    await expect(claim).resolves.toBeNull();

    const stop = new AbortController();
    const pending = client.claimJob(['linux'], 1, { signal: stop.signal }).catch((e) => e);
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    stop.abort();
    const error = await pending;
    expect(error).toBeInstanceOf(CallAbortedError);
    expect(Date.now() - started).toBeLessThan(500);
    await client.close();
  });
});

describe('startRunner', () => {
  it('closes its client transport when it stops', async () => {
    const workDir = await mkdtemp(join(tmpdir(), 'benchline-runner-close-'));
    let closed = 0;
    let inFlight = 0;
    const transport: RunnerTransport = {
      post: async ({ signal }) => {
        // An idle long-poll that only the stop ends.
        inFlight++;
        await new Promise<void>((resolve) =>
          signal?.addEventListener('abort', () => resolve(), { once: true }),
        );
        inFlight--;
        throw new Error('aborted');
      },
      close: async () => {
        closed++;
      },
    };
    const executor = { name: 'none' } as unknown as Executor;
    try {
      const runner = await startRunner({
        serverUrl: 'http://server',
        key: 'k',
        workDir,
        executor,
        transport,
        concurrency: 2,
      });
      await new Promise((r) => setTimeout(r, 50));
      expect(inFlight).toBe(2);
      expect(closed).toBe(0);
      await runner.stop();
      await runner.done;
      expect(inFlight).toBe(0);
      expect(closed).toBe(1);
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  });
});

describe('RunnerClient: documents by id (persisted operations)', () => {
  const sent = (body: any) => (body.query ? 'document' : `id ${body.extensions?.persistedQuery?.sha256Hash}`);

  it('sends its documents by id, the SHA-256 of the text, without the text', async () => {
    const bodies: any[] = [];
    const url = await serve((_req, body, res) => {
      bodies.push(body);
      json(res, 200, { data: { heartbeatJob: { cancel: false } } });
    });
    await fastClient(url).heartbeatJob('j1');
    expect(bodies).toEqual([
      {
        variables: { jobId: 'j1' },
        extensions: { persistedQuery: { version: 1, sha256Hash: documentId(HEARTBEAT_JOB) } },
      },
    ]);
  });

  it('sends the document when the server does not know the id, and keeps sending that one as text', async () => {
    const seen: string[] = [];
    const url = await serve((_req, body, res) => {
      seen.push(sent(body));
      if (!body.query)
        return json(res, 200, {
          errors: [
            { message: 'unknown persisted operation', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } },
          ],
        });
      json(res, 200, { data: { heartbeatJob: { cancel: false }, claimJob: null } });
    });
    const client = fastClient(url);
    await client.heartbeatJob('j1');
    await client.heartbeatJob('j1');
    // Another document is still tried by id: only that one was unknown.
    await client.claimJob(undefined, 0);
    expect(seen).toEqual([
      `id ${documentId(HEARTBEAT_JOB)}`,
      'document',
      'document',
      `id ${documentId(CLAIM_JOB)}`,
      'document',
    ]);
  });

  it('stops sending ids to a server that takes none (it asks for the query string)', async () => {
    const seen: string[] = [];
    const url = await serve((_req, body, res) => {
      seen.push(sent(body));
      if (!body.query)
        return json(res, 400, {
          errors: [{ message: 'Must provide query string.', extensions: { code: 'BAD_REQUEST' } }],
        });
      json(res, 200, { data: { heartbeatJob: { cancel: false }, claimJob: null } });
    });
    const client = fastClient(url);
    await client.heartbeatJob('j1');
    await client.claimJob(undefined, 0);
    expect(seen).toEqual([`id ${documentId(HEARTBEAT_JOB)}`, 'document', 'document']);
  });

  it('takes a typed error of the call itself as the answer, without sending the document', async () => {
    const seen: string[] = [];
    const url = await serve((_req, body, res) => {
      seen.push(sent(body));
      json(res, 200, {
        errors: [{ message: 'no such job', path: ['heartbeatJob'], extensions: { code: 'NOT_FOUND' } }],
      });
    });
    await expect(fastClient(url).heartbeatJob('j1')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(seen).toEqual([`id ${documentId(HEARTBEAT_JOB)}`]);
  });
});
