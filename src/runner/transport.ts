import { Pool } from 'undici';
import { retryAfterSeconds } from './retry-after.js';

/**
 * How RunnerClient moves one GraphQL POST to the server and back. The default is undici's low-level
 * `Pool.request` (keep-alive connections, no WHATWG Request/Response/stream objects): the runner shares
 * its machine with the benchmarks it runs, and global `fetch` costs several times the CPU per call.
 */
export interface RunnerTransport {
  /**
   * Sends `body` and reads the whole answer, whatever its status. Rejects with TransportFailure when
   * the server cannot be reached, no answer came within `timeoutMs` or `signal` aborted the attempt.
   */
  post(request: TransportRequest): Promise<TransportResponse>;
  /** Ends the connections once the calls in flight have ended; calls after that fail. */
  close(): Promise<void>;
}

export interface TransportRequest {
  headers: Record<string, string>;
  body: string;
  /** For the whole attempt: no answer within this is a failure. */
  timeoutMs: number;
  signal?: AbortSignal;
}

export { retryAfterSeconds };

export interface TransportResponse {
  status: number;
  text: string;
  /** The Retry-After header in seconds, when the server sent one (429, 503). */
  retryAfterSeconds?: number;
}

/** The attempt got no answer; `reason` is short and human (`ECONNREFUSED`, `no answer within 15000 ms`). */
export class TransportFailure extends Error {
  constructor(
    readonly reason: string,
    readonly timedOut = false,
  ) {
    super(reason);
    this.name = 'TransportFailure';
  }
}

// undici's codes for "the server did not answer in time".
const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * Whatever an attempt threw, as a TransportFailure with a readable reason. Errors come in many
 * shapes: undici's (a string `code` such as UND_ERR_SOCKET), the system's (`ECONNRESET`, or a
 * numeric `errno`-like `code`), an HTTP library's numeric status, or no Error at all.
 */
export function transportFailure(
  error: unknown,
  timeoutMs: number,
  connectTimeoutMs: number,
): TransportFailure {
  if (error instanceof TransportFailure) return error;
  const fields =
    typeof error === 'object' && error !== null ? (error as { code?: unknown; message?: unknown }) : {};
  const code = typeof fields.code === 'string' ? fields.code : undefined;
  if (code && TIMEOUT_CODES.has(code)) {
    return new TransportFailure(
      code === 'UND_ERR_CONNECT_TIMEOUT'
        ? `no connection within ${connectTimeoutMs} ms`
        : `no answer within ${timeoutMs} ms`,
      true,
    );
  }
  // A system code says more than undici's message ("other side closed" for ECONNRESET); undici's own codes say less.
  if (code && !code.startsWith('UND_ERR')) return new TransportFailure(code);
  const message = typeof fields.message === 'string' && fields.message ? fields.message : undefined;
  // A code that is not a string (a number from a system or HTTP error) is kept beside the message.
  const other =
    code !== undefined || fields.code === undefined || fields.code === null
      ? ''
      : ` (code ${String(fields.code)})`;
  return new TransportFailure(`${message ?? describe(error)}${message ? other : ''}`);
}

function describe(error: unknown): string {
  if (typeof error === 'string') return error || 'an empty error';
  if (typeof error === 'object' && error !== null) {
    const code = (error as { code?: unknown }).code;
    if (code !== undefined && code !== null) return `error code ${String(code)}`;
    try {
      const json = JSON.stringify(error);
      if (json && json !== '{}') return json.slice(0, 200);
    } catch {
      // circular: fall through
    }
    return Object.prototype.toString.call(error);
  }
  return String(error);
}

export interface UndiciTransportOptions {
  /** Longest wait for a TCP/TLS connection (default 10 s, and never above an attempt's timeout). */
  connectTimeoutMs?: number;
}

/**
 * One undici Pool per client: connections are opened as calls need them (a claim long-poll, heartbeats
 * and log batches of several jobs run side by side) and kept alive between calls.
 *
 * The attempt timeout is undici's own headers and body timeouts (no timer or AbortSignal per call): the
 * server sends a GraphQL answer in one piece, so "no headers within timeoutMs" is "no answer within
 * timeoutMs". The caller's signal goes to undici as is.
 */
export function undiciTransport(graphqlUrl: string, options: UndiciTransportOptions = {}): RunnerTransport {
  const url = new URL(graphqlUrl);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(
      `the server URL must start with http:// or https:// (got ${graphqlUrl.replace(/\/graphql$/, '')}), e.g. https://bench.example.com`,
    );
  }
  const path = `${url.pathname}${url.search}`;
  const connectTimeout = options.connectTimeoutMs ?? 10_000;
  const pool = new Pool(url.origin, { connectTimeout });
  return {
    async post({ headers, body, timeoutMs, signal }) {
      try {
        const response = await pool.request({
          method: 'POST',
          path,
          headers,
          body,
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
          signal,
        });
        const retryAfter = response.headers['retry-after'];
        return {
          status: response.statusCode,
          text: await response.body.text(),
          retryAfterSeconds: retryAfterSeconds(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter),
        };
      } catch (error) {
        throw transportFailure(error, timeoutMs, connectTimeout);
      }
    },
    async close() {
      if (pool.closed || pool.destroyed) return;
      // Calls in flight were aborted by their callers' signals; one that is not gets a moment, not its timeout.
      const closing = pool.close();
      const timer = setTimeout(() => void pool.destroy().catch(() => {}), 2000);
      try {
        await closing;
      } catch {
        // destroyed meanwhile
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/** The previous transport, for tests that hand in their own `fetch`. */
export function fetchTransport(graphqlUrl: string, fetchImpl: typeof fetch): RunnerTransport {
  return {
    async post({ headers, body, timeoutMs, signal }) {
      const timeout = AbortSignal.timeout(timeoutMs);
      const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
      try {
        const response = await fetchImpl(graphqlUrl, { method: 'POST', headers, body, signal: combined });
        return {
          status: response.status,
          text: await response.text(),
          retryAfterSeconds: retryAfterSeconds(response.headers.get('retry-after') ?? undefined),
        };
      } catch (error) {
        if (timeout.aborted) throw new TransportFailure(`no answer within ${timeoutMs} ms`, true);
        // fetch rejects with "fetch failed" and the reason in `cause`.
        const cause = (error as { cause?: unknown } | null)?.cause;
        throw transportFailure(cause ?? error, timeoutMs, timeoutMs);
      }
    },
    async close() {},
  };
}
