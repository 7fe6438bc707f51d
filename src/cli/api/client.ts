import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { retryAfterSeconds } from '../../runner/retry-after.js';
import type { Connection } from './config.js';
import {
  type GraphqlErrorEntry,
  graphqlError,
  RateLimitedError,
  TransientError,
  unreachable,
} from './errors.js';
import { httpPost, type Post, type PostResponse } from './http-post.js';
import { operationText } from './operation-text.js';
import { type RetryOptions, withRetry } from './retry.js';

/** What graphql() gives: a typed document, or its source when codegen has not caught up. */
export type Operation<TResult, TVariables> = TypedDocumentNode<TResult, TVariables> | string;

export interface ApiClient {
  readonly host: string;
  readonly token: string | null;
  request<TResult, TVariables>(
    operation: Operation<TResult, TVariables>,
    variables?: TVariables,
  ): Promise<TResult>;
}

export interface ClientOptions {
  fetch?: typeof fetch;
  retry?: RetryOptions;
}

export function createApiClient(connection: Connection, options: ClientOptions = {}): ApiClient {
  const injected = options.fetch;
  const post: Post = injected ? (url, init) => injected(url, { method: 'POST', ...init }) : httpPost;
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (connection.token) headers.authorization = `Bearer ${connection.token}`;

  return {
    host: connection.host,
    token: connection.token,
    async request(operation, variables) {
      const query = operationText(operation);
      const isMutation = /^\s*mutation\b/.test(query);
      const body = JSON.stringify({ query, variables: variables ?? {} });
      const send = async () => {
        let response: PostResponse;
        try {
          response = await post(`${connection.host}/graphql`, { headers, body });
        } catch (error) {
          const reason = error instanceof Error ? (causeOf(error) ?? error.message) : String(error);
          throw new TransientError(reason, undefined, !NOT_SENT.has(reason));
        }
        if (response.status >= 500) throw new TransientError(`HTTP ${response.status}`, response.status);
        if (response.status === 429) {
          const refused = (await response.json().catch(() => null)) as {
            errors?: GraphqlErrorEntry[];
          } | null;
          throw new RateLimitedError(
            refused?.errors ?? [{ message: 'too many requests', extensions: { code: 'RATE_LIMITED' } }],
            retryAfterSeconds(response.headers.get('retry-after') ?? undefined),
          );
        }
        let result: { data?: unknown; errors?: GraphqlErrorEntry[] };
        try {
          result = (await response.json()) as typeof result;
        } catch {
          throw unreachable(connection.host, new Error(`HTTP ${response.status}, not a GraphQL answer`));
        }
        if (result.errors?.length) throw graphqlError(result.errors);
        return result.data as never;
      };
      // A mutation whose answer was lost may have happened: retry it only when it never left.
      const retryable = (error: unknown) => error instanceof TransientError && (!isMutation || !error.sent);
      try {
        return await withRetry(send, retryable, options.retry);
      } catch (error) {
        if (error instanceof RateLimitedError) throw graphqlError(error.errors);
        if (error instanceof TransientError) throw unreachable(connection.host, error);
        throw error;
      }
    },
  };
}

const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH']);

/** Node's fetch hides the useful part (ECONNREFUSED …) in `cause`. */
function causeOf(error: Error): string | undefined {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message;
}
