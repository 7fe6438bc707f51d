import type { Client } from 'graphql-ws';
import { describe, expect, it } from 'vitest';
import { createApiClient } from '../../src/cli/api/client.js';
import { resolveConnection } from '../../src/cli/api/config.js';
import { followLogs, logDecoder } from '../../src/cli/run/remote.js';

const connection = { host: 'http://bench.test', token: 't', tokenSource: 'flag' as const };
const noWait = { sleep: async () => {}, attempts: 4 };

function fakeFetch(answers: Array<number | 'refused' | object>) {
  const calls: string[] = [];
  const fetch = (async (_url: string, init: RequestInit) => {
    calls.push(String(init.body));
    const answer = answers.shift();
    if (answer === 'refused') throw new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } });
    if (typeof answer === 'number') return new Response('oops', { status: answer });
    return new Response(JSON.stringify(answer), { status: 200 });
  }) as typeof globalThis.fetch;
  return { fetch, calls };
}

describe('HTTP client', () => {
  it('retries queries on 5xx and refused connections, then answers', async () => {
    const { fetch, calls } = fakeFetch([502, 'refused', { data: { me: null } }]);
    const client = createApiClient(connection, { fetch, retry: noWait });
    expect(await client.request('query { me { id } }')).toEqual({ me: null });
    expect(calls).toHaveLength(3);
  });

  it('does not repeat a mutation that may have reached the server', async () => {
    const { fetch, calls } = fakeFetch([503, { data: {} }]);
    const client = createApiClient(connection, { fetch, retry: noWait });
    await expect(client.request('mutation { cancelJob(id: "x") { id } }')).rejects.toThrow(/cannot reach/);
    expect(calls).toHaveLength(1);
  });

  it('turns error codes into messages with what to do next', async () => {
    const { fetch } = fakeFetch([{ errors: [{ message: 'no spec', extensions: { code: 'NO_SPEC' } }] }]);
    const client = createApiClient(connection, { fetch, retry: noWait });
    await expect(client.request('query { x }')).rejects.toMatchObject({
      message: 'no spec',
      code: 'NO_SPEC',
      hint: expect.stringContaining('--spec'),
    });
  });
});

describe('connection settings', () => {
  it('prefers flags, then the environment, then the saved config for the same host', async () => {
    const env = {
      XDG_CONFIG_HOME: '/nonexistent',
      BENCHLINE_HOST: 'http://env:1/',
      BENCHLINE_TOKEN: 'env-token',
    };
    expect(await resolveConnection({ host: 'http://flag:2', token: 'flag-token' }, env)).toEqual({
      host: 'http://flag:2',
      token: 'flag-token',
      tokenSource: 'flag',
    });
    expect(await resolveConnection({}, env)).toEqual({
      host: 'http://env:1',
      token: 'env-token',
      tokenSource: 'env',
    });
    expect(await resolveConnection({}, { XDG_CONFIG_HOME: '/nonexistent' })).toMatchObject({
      host: 'http://127.0.0.1:8080',
      token: null,
    });
  });
});

describe('log subscription', () => {
  it('resumes after a dropped connection with the last seq, without duplicates', async () => {
    const subscribedWith: unknown[] = [];
    const sessions = [
      { chunks: [0, 1], thenDrop: true },
      { chunks: [1, 2, 3], thenDrop: false },
    ];
    const makeClient = () => {
      const session = sessions.shift()!;
      return {
        iterate({ variables }: { variables: { afterSeq: number | null } }) {
          subscribedWith.push(variables.afterSeq);
          return (async function* () {
            for (const seq of session.chunks)
              yield { data: { jobLogs: { seq, stream: 'STDOUT', data: `${seq};` } } };
            if (session.thenDrop) throw { code: 1006, reason: 'abnormal closure' };
          })();
        },
        dispose: async () => {},
      } as unknown as Client;
    };
    const seen: string[] = [];
    const last = await followLogs(connection, 'job-1', (chunk) => seen.push(chunk.data), { makeClient });
    expect(seen.join('')).toBe('0;1;2;3;');
    expect(subscribedWith).toEqual([null, 1]);
    expect(last).toBe(3);
  });
});

describe('logDecoder', () => {
  it('keeps a character split between two chunks whole, per stream', () => {
    const bytes = Buffer.from('a✓b');
    const chunk = (seq: number, stream: 'STDOUT' | 'STDERR', data: Buffer) => ({
      seq,
      stream,
      data: data.toString('base64'),
    });
    const decode = logDecoder();
    const text = [
      decode(chunk(0, 'STDOUT', bytes.subarray(0, 2))),
      decode(chunk(1, 'STDERR', Buffer.from('e'))),
      decode(chunk(2, 'STDOUT', bytes.subarray(2))),
    ];
    expect(text).toEqual(['a', 'e', '✓b']);
  });
});
