import { describe, expect, it } from 'vitest';
import { RunnerClient, TransientError } from './client.js';
import { fetchTransport, TransportFailure, transportFailure } from './transport.js';

const circular: Record<string, unknown> = { name: 'loop' };
circular.self = circular;

describe('transportFailure', () => {
  it.each([
    [
      'a numeric code with a message',
      Object.assign(new Error('socket hang up'), { code: 104 }),
      'socket hang up (code 104)',
    ],
    ['a numeric code alone', { code: 503 }, 'error code 503'],
    ['a system code', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }), 'ECONNRESET'],
    [
      "undici's own code",
      Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }),
      'other side closed',
    ],
    ['a code that is an object', { code: { errno: 5 }, message: 'odd' }, 'odd (code [object Object])'],
    ['a string', 'went away', 'went away'],
    ['an empty string', '', 'an empty error'],
    ['null', null, 'null'],
    ['undefined', undefined, 'undefined'],
    ['a number', 42, '42'],
    ['a plain object', { detail: 'x' }, '{"detail":"x"}'],
    ['a circular object', circular, '[object Object]'],
  ])('reads %s', (_what, error, reason) => {
    const failure = transportFailure(error, 1000, 500);
    expect(failure).toBeInstanceOf(TransportFailure);
    expect(failure.reason).toBe(reason);
    expect(failure.timedOut).toBe(false);
  });

  it('says which timeout ran out', () => {
    expect(transportFailure({ code: 'UND_ERR_HEADERS_TIMEOUT' }, 1000, 500)).toMatchObject({
      reason: 'no answer within 1000 ms',
      timedOut: true,
    });
    expect(transportFailure({ code: 'UND_ERR_CONNECT_TIMEOUT' }, 1000, 500)).toMatchObject({
      reason: 'no connection within 500 ms',
      timedOut: true,
    });
  });
});

describe('a transport failing with odd errors', () => {
  it.each([
    ['a cause with a numeric code', Object.assign(new TypeError('fetch failed'), { cause: { code: 7 } })],
    ['null', null],
    ['a number', 500],
  ])('reaches the client as a retryable, readable error: %s', async (_what, thrown) => {
    const failing = (async () => {
      throw thrown;
    }) as unknown as typeof fetch;
    const client = new RunnerClient({
      serverUrl: 'http://127.0.0.1:9',
      key: 'k',
      transport: fetchTransport('http://127.0.0.1:9/graphql', failing),
      initialRetryDelayMs: 1,
      maxRetryDelayMs: 2,
    });
    const error = await client.heartbeatJob('j1', { attempts: 2 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientError);
    expect((error as Error).message).toMatch(/^cannot reach http:\/\/127\.0\.0\.1:9: \S/);
  });

  it('takes anything a transport of its own throws', async () => {
    const client = new RunnerClient({
      serverUrl: 'http://127.0.0.1:9',
      key: 'k',
      transport: {
        post: async () => {
          throw { code: 104 };
        },
        close: async () => {},
      },
      initialRetryDelayMs: 1,
    });
    const error = await client.heartbeatJob('j1', { attempts: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientError);
    expect((error as Error).message).toBe('cannot reach http://127.0.0.1:9: error code 104');
  });
});
