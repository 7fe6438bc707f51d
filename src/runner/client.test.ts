import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { CallAbortedError, RunnerApiError, RunnerClient, TransientError } from './client.js';

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
});
