import { type Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';

export interface GraphqlResult<T = any> {
  data?: T;
  errors?: Array<{ message: string; extensions?: { code?: string; [key: string]: unknown } }>;
}

export interface GraphqlClient {
  /** Sends one operation over HTTP and returns the raw result (data and errors). */
  request<T = any>(query: string, variables?: Record<string, unknown>): Promise<GraphqlResult<T>>;
  /** Like request, but throws on errors and returns data. */
  data<T = any>(query: string, variables?: Record<string, unknown>): Promise<T>;
  /** The error code of an operation expected to fail. */
  errorCode(query: string, variables?: Record<string, unknown>): Promise<string | undefined>;
  /** A graphql-ws client; close it when done. */
  ws(): Client;
}

export function graphqlClient(url: string, token: string | null): GraphqlClient {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const request = async <T>(query: string, variables?: Record<string, unknown>) => {
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as GraphqlResult<T>;
  };
  return {
    request,
    async data<T>(query: string, variables?: Record<string, unknown>) {
      const result = await request<T>(query, variables);
      if (result.errors?.length) {
        throw new Error(
          `GraphQL error: ${result.errors.map((e) => `${e.extensions?.code}: ${e.message}`).join('; ')}`,
        );
      }
      return result.data as T;
    },
    async errorCode(query, variables) {
      const result = await request(query, variables);
      return result.errors?.[0]?.extensions?.code;
    },
    ws: () =>
      createClient({
        url: `${url.replace(/^http/, 'ws')}/graphql`,
        webSocketImpl: WebSocket,
        connectionParams: token ? { authorization: `Bearer ${token}` } : {},
        retryAttempts: 0,
      }),
  };
}
