import type { Client } from 'graphql-ws/client';
import type { Operation } from './client.js';
import type { Connection } from './config.js';
import { type GraphqlErrorEntry, graphqlError, unreachable } from './errors.js';
import { operationText } from './operation-text.js';
import { backoffDelay } from './retry.js';

export interface SubscriptionOptions {
  /** Give up after this many reconnects in a row without receiving anything. */
  attempts?: number;
  onReconnect?: (attempt: number, delayMs: number) => void;
  signal?: AbortSignal;
  /** Tests inject a client factory. */
  makeClient?: (connection: Connection) => Client;
}

export function wsUrl(host: string): string {
  return `${host.replace(/^http/, 'ws')}/graphql`;
}

/**
 * graphql-ws and ws load when the first subscription starts, not with the CLI: `run --detach` and
 * the plain commands never need them. graphql-ws's client alone: its index brings its server and,
 * with it, all of graphql.
 */
export async function wsClientFactory(): Promise<(connection: Connection) => Client> {
  const [{ createClient }, { default: WebSocket }] = await Promise.all([
    import('graphql-ws/client'),
    import('ws'),
  ]);
  return (connection) =>
    createClient({
      url: wsUrl(connection.host),
      webSocketImpl: WebSocket,
      connectionParams: connection.token ? { authorization: `Bearer ${connection.token}` } : {},
      // We reconnect ourselves, so that a resumed subscription gets fresh variables (afterSeq).
      retryAttempts: 0,
      lazy: true,
    });
}

/**
 * A subscription that survives dropped connections: after a drop it subscribes again with the
 * variables `variables()` gives at that moment, so callers resume where they were.
 */
export async function* resilientSubscription<TResult, TVariables>(
  connection: Connection,
  operation: Operation<TResult, TVariables>,
  variables: () => TVariables,
  options: SubscriptionOptions = {},
): AsyncGenerator<TResult> {
  const query = operationText(operation);
  const attempts = options.attempts ?? 8;
  const makeClient = options.makeClient ?? (await wsClientFactory());
  for (let failures = 0; ; ) {
    if (options.signal?.aborted) return;
    const client = makeClient(connection);
    const iterator = client.iterate<TResult>({ query, variables: variables() as Record<string, unknown> });
    const abort = () => void iterator.return?.(undefined);
    options.signal?.addEventListener('abort', abort, { once: true });
    try {
      for await (const result of iterator) {
        failures = 0;
        if (result.errors?.length) throw graphqlError(result.errors as unknown as GraphqlErrorEntry[]);
        yield result.data as TResult;
      }
      return;
    } catch (error) {
      if (!isDrop(error) || options.signal?.aborted) throw asCliError(error, connection.host);
      failures++;
      if (failures >= attempts) throw unreachable(connection.host, describe(error));
      const delay = backoffDelay(failures - 1, 250, 5000);
      options.onReconnect?.(failures, delay);
      await new Promise((resolve) => setTimeout(resolve, delay));
    } finally {
      options.signal?.removeEventListener('abort', abort);
      void client.dispose();
    }
  }
}

/** graphql-ws reports GraphQL errors as an array; a lost socket as a close event or network error. */
function isDrop(error: unknown): boolean {
  if (Array.isArray(error)) return false;
  const code = (error as { code?: unknown })?.code;
  // 4400 bad request, 4401 unauthorized, 4403 forbidden: reconnecting cannot help.
  if (typeof code === 'number' && [4400, 4401, 4403, 4406, 4409].includes(code)) return false;
  return !(error instanceof Error && error.name === 'CliError');
}

function asCliError(error: unknown, host: string): unknown {
  if (Array.isArray(error)) return graphqlError(error as GraphqlErrorEntry[]);
  const code = (error as { code?: unknown })?.code;
  if (code === 4401 || code === 4403) {
    return graphqlError([{ message: describe(error).message, extensions: { code: 'UNAUTHENTICATED' } }]);
  }
  if (error instanceof Error) return error;
  return unreachable(host, describe(error));
}

function describe(error: unknown): Error {
  if (error instanceof Error) return error;
  const event = error as { code?: number; reason?: string };
  return new Error(event?.reason || (event?.code ? `connection closed (${event.code})` : String(error)));
}
