import type { IncomingMessage, ServerResponse } from 'node:http';
import { type ExecutionResult, execute, GraphQLError, type GraphQLSchema } from 'graphql';
import { type PersistedOperation, persistedId } from '../graphql/persisted-operations.js';

/**
 * A request that names a persisted operation by id (the runner's calls: src/runner/client.ts),
 * answered without yoga and the fetch API it sits on. Profiled on `bench/lifecycle.ts`, the
 * adapter between node:http and yoga (a WHATWG Request, Headers and Response per call, an abort
 * controller with three listeners, yoga's plugin hooks and its result processor) cost more of a
 * runner call's Node CPU than running it; a held long-poll also kept those objects alive for
 * its whole wait.
 *
 * It answers as yoga does — the same authentication, rate limits, NUL refusal, error masking,
 * statuses (the largest `extensions.http.status`, else 200) and body — and leaves to yoga every
 * request it is not sure of: a body it did not read (no Content-Length, over the limit, not a JSON
 * object), a parameter it does not know, an unknown id, a document sent along, an `Origin`
 * (CORS), an Accept header without a JSON type.
 */
export interface PersistedRequestDeps {
  schema: GraphQLSchema;
  operations: ReadonlyMap<string, PersistedOperation>;
  /** The NUL rule's where (see text/storable.ts), or null. */
  unstorable(params: { variables?: unknown; operationName?: unknown }): string | null;
  /** The request-level refusal for `where` (what yoga's onParams answers). */
  refuseUnstorable(where: string): GraphQLError;
  /** The caller's context; its errors (UNAUTHENTICATED, RATE_LIMITED) become the answer. */
  context(
    req: IncomingMessage,
    request: { readonly signal: AbortSignal },
    operationName: string | null,
  ): Promise<object>;
  mask(error: unknown): GraphQLError;
}

const PARAMS = new Set(['query', 'variables', 'operationName', 'extensions']);

/** true: answered; false: yoga's to answer. */
export async function answerPersisted(
  req: IncomingMessage,
  res: ServerResponse,
  deps: PersistedRequestDeps,
): Promise<boolean> {
  const body = (req as IncomingMessage & { body?: unknown }).body;
  if (!isObject(body) || req.headers.origin !== undefined) return false;
  const media = acceptedMedia(req.headers.accept);
  if (!media) return false;
  for (const key in body) if (!PARAMS.has(key) && body[key] != null) return false;
  const id = persistedId(body);
  const operation = id === undefined ? undefined : deps.operations.get(id);
  if (!operation) return false;
  const { variables, operationName } = body;
  if (variables != null && !isObject(variables)) return false;
  if (operationName != null && operationName !== operation.operationName) return false;

  let result: ExecutionResult;
  const where = deps.unstorable({ variables, operationName });
  if (where) {
    result = { errors: [deps.refuseUnstorable(where)] };
  } else {
    try {
      let controller: AbortController | undefined;
      const request = {
        get signal() {
          controller ??= abortedWithClient(req, res);
          return controller.signal;
        },
      };
      const contextValue = await deps.context(req, request, operation.operationName);
      result = await execute({
        schema: deps.schema,
        document: operation.document,
        variableValues: variables as Record<string, unknown> | null | undefined,
        contextValue,
        operationName: operation.operationName,
      });
      // No `data`: the call never ran (its variables were refused), which yoga's executor answers 400.
      if (!('data' in result) && result.errors) result = { errors: result.errors.map(requestError) };
    } catch (error) {
      result = { errors: [error as GraphQLError] };
    }
  }
  send(res, media, result, deps.mask);
  return true;
}

function requestError(error: GraphQLError): GraphQLError {
  const http = (error.extensions?.http ?? {}) as object;
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions: { ...error.extensions, http: { ...http, status: 400 } },
  });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** yoga's answer type for this Accept header, in the header's order; null: not one of its JSON types. */
function acceptedMedia(accept: string | undefined): string | null {
  if (!accept) return 'application/json';
  for (const part of accept.split(',')) {
    const type = part.split(';')[0]?.trim().toLowerCase();
    if (type === 'application/graphql-response+json') return type;
    if (type === 'application/json' || type === '*/*' || type === 'application/*') return 'application/json';
  }
  return null;
}

/**
 * Aborts when the client goes away before its answer (a long-poll's waiter is then dropped). Made
 * when a resolver first asks, so a call that never waits pays nothing for it.
 */
function abortedWithClient(req: IncomingMessage, res: ServerResponse): AbortController {
  const controller = new AbortController();
  const abort = () => controller.abort();
  if (res.closed || req.socket.destroyed) {
    abort();
  } else {
    res.once('close', abort);
    res.once('finish', () => res.removeListener('close', abort));
  }
  return controller;
}

function send(
  res: ServerResponse,
  media: string,
  result: ExecutionResult,
  mask: (error: unknown) => GraphQLError,
): void {
  const headers: Record<string, string> = { 'content-type': `${media}; charset=utf-8` };
  let status: number | undefined;
  let wire: unknown = result;
  if (result.errors?.length) {
    const errors = result.errors.map((error) => {
      const masked = mask(error);
      const {
        http,
        unexpected: _,
        ...extensions
      } = (masked.extensions ?? {}) as Record<string, unknown> & {
        http?: { status?: number; headers?: Record<string, string> };
      };
      if (http?.headers) Object.assign(headers, http.headers);
      if (http?.status && (!status || http.status > status)) status = http.status;
      const json = masked.toJSON() as { extensions?: unknown };
      if (Object.keys(extensions).length) json.extensions = extensions;
      else delete json.extensions;
      return json;
    });
    wire = { ...result, errors };
  }
  const text = JSON.stringify(wire);
  headers['content-length'] = String(Buffer.byteLength(text));
  res.writeHead(status ?? 200, headers).end(text);
}
