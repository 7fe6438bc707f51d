import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { GraphQLError } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { createYoga, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import { WebSocketServer } from 'ws';
import { authenticateThrottled, rateLimited } from '../accounts/auth-throttle.js';
import type { Viewer } from '../accounts/viewer.js';
import { BenchlineError } from '../errors.js';
import { type Context, createContext, type ServerDeps } from '../graphql/context.js';
import {
  type PersistedOperation,
  persistedId,
  persistedOperations,
  unknownPersistedOperation,
} from '../graphql/persisted-operations.js';
import { schema } from '../graphql/schema.js';
import { unstorableInput, unstorablePath } from '../text/storable.js';
import { bearer, clientIp } from './client-ip.js';
import { MAX_REQUEST_BYTES, readJsonBody } from './json-body.js';
import { answerPersisted } from './persisted-request.js';
import { RateLimiter } from './rate-limit.js';

export interface GraphqlEndpoint {
  yoga: YogaServerInstance<{ req: IncomingMessage }, Context>;
  /** Answers a request to /graphql: a persisted runner call directly, anything else through yoga. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** Attaches graphql-ws to the server's upgrade requests on /graphql. */
  attachWebSocket(server: Server): { close(): Promise<void>; openSubscriptions(): number };
}

function maskError(error: unknown, log: ServerDeps['log']): Error {
  const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
  const graphqlError = error instanceof GraphQLError ? error : undefined;
  if (original instanceof BenchlineError) {
    // Yoga answers `extensions.http` as the response's status and headers and leaves it out of the body.
    const retryAfter = original.details.retryAfter;
    const http =
      original.code === 'RATE_LIMITED'
        ? { http: { status: 429, headers: { 'retry-after': String(retryAfter ?? 60) } } }
        : {};
    return new GraphQLError(original.message, {
      nodes: graphqlError?.nodes,
      path: graphqlError?.path,
      extensions: { code: original.code, ...original.details, ...http },
    });
  }
  if (original instanceof GraphQLError) {
    // Parse, validation and variable errors: the request itself is wrong.
    const code = original.extensions?.code;
    const keep =
      typeof code === 'string' && code !== 'GRAPHQL_VALIDATION_FAILED' && code !== 'BAD_USER_INPUT';
    return new GraphQLError(original.message, {
      nodes: original.nodes,
      path: original.path,
      extensions: { ...original.extensions, code: keep ? code : 'BAD_INPUT' },
    });
  }
  log.error({ err: original }, 'unexpected error in a GraphQL operation');
  return new GraphQLError('internal server error; the server log has the details', {
    path: graphqlError?.path,
    extensions: { code: 'INTERNAL' },
  });
}

/** Validation errors (unknown fields, wrong literal types) are the caller's mistake: BAD_INPUT. */
function badRequestCodes(): Plugin {
  return {
    onValidate:
      () =>
      ({ result, setResult }) => {
        if (result.length === 0) return;
        setResult(
          result.map(
            (error) =>
              new GraphQLError(error.message, {
                nodes: error.nodes,
                extensions: {
                  code:
                    error.originalError instanceof BenchlineError ? error.originalError.code : 'BAD_INPUT',
                },
              }),
          ),
        );
      },
  };
}

/** Where a request carries text PostgreSQL cannot store (see text/storable.ts), or null. */
function unstorableParams(params: { query?: unknown; variables?: unknown; operationName?: unknown }) {
  if (unstorablePath(params.query)) return 'the query';
  if (unstorablePath(params.operationName)) return 'the operation name';
  const variable = unstorablePath(params.variables ?? null);
  return variable ? `variable $${variable}` : null;
}

/** The request-level half of the NUL rule: refused before parsing, so no resolver sees it. */
function refuseUnstorable(log: ServerDeps['log']): Plugin {
  return {
    onParams: ({ params, setResult }) => {
      const where = unstorableParams(params);
      if (where) setResult({ errors: [maskError(unstorableInput(where), log) as GraphQLError] });
    },
  };
}

/**
 * A request naming its document by id (persisted operations) runs the server's copy; an unknown
 * id is refused with PERSISTED_QUERY_NOT_FOUND, and the client sends the document instead.
 * Before the other plugins, which then see the document.
 */
function persistedDocuments(operations: ReadonlyMap<string, PersistedOperation>): Plugin {
  return {
    onParams: ({ params, setParams }) => {
      const id = persistedId(params);
      if (id === undefined) return;
      const operation = operations.get(id);
      // Thrown, not set as the result: yoga's own checks after this hook would refuse the missing query.
      if (!operation) throw unknownPersistedOperation(id);
      setParams({ ...params, query: operation.query });
    },
  };
}

/** The runner's claimJob document (src/runner/operations.ts): the one that runs on the long-poll lane. */
const LONG_POLL_OPERATION = 'RunnerClaimJob';

export function createGraphqlEndpoint(deps: ServerDeps): GraphqlEndpoint {
  const limiter = new RateLimiter();
  const operations = persistedOperations(schema);

  async function viewerFor(authorization: string | null, ip: string, db = deps.db): Promise<Viewer> {
    const viewer = await authenticateThrottled(db, deps.config, bearer(authorization), ip, deps.clock.now());
    if (!viewer) {
      throw new BenchlineError(
        'UNAUTHENTICATED',
        'the token is unknown, expired or revoked; create a new one',
      );
    }
    if (viewer.kind !== 'runner') {
      const anonymous = viewer.kind === 'anonymous';
      const key = anonymous ? `ip:${ip}` : `token:${viewer.tokenId}`;
      const limit = anonymous
        ? deps.config.rateLimitPerMinute.anonymous
        : deps.config.rateLimitPerMinute.authenticated;
      if (!limiter.take(key, limit)) {
        const wait = limiter.retryAfterSeconds(key, limit);
        throw rateLimited(`too many requests; wait ${wait} s (limit ${limit}/min)`, wait);
      }
    }
    return viewer;
  }

  const yoga = createYoga<{ req: IncomingMessage }, Context>({
    schema,
    plugins: [persistedDocuments(operations), badRequestCodes(), refuseUnstorable(deps.log)],
    graphqlEndpoint: '/graphql',
    landingPage: false,
    logging: false,
    maxRequestBodySize: MAX_REQUEST_BYTES,
    maskedErrors: { maskError: (error) => maskError(error, deps.log) },
    context: async ({ request, req }) => {
      const ip = clientIp(req, deps.config.trustedProxies);
      return createContext(deps, await viewerFor(request.headers.get('authorization'), ip));
    },
  });

  const persisted = {
    schema,
    operations,
    unstorable: unstorableParams,
    refuseUnstorable: (where: string) => maskError(unstorableInput(where), deps.log) as GraphQLError,
    context: async (
      req: IncomingMessage,
      request: { readonly signal: AbortSignal },
      operationName: string | null,
    ) => {
      const ip = clientIp(req, deps.config.trustedProxies);
      // An idle runner's long-poll: on the long-poll lane from its key check on (ServerDeps.pollDb).
      const pollDb = operationName === LONG_POLL_OPERATION ? deps.pollDb : undefined;
      const viewer = await viewerFor(req.headers.authorization ?? null, ip, pollDb);
      // `request.signal`, as yoga's context has it: the long-polls end when the client goes away.
      return { ...createContext(deps, viewer), pollDb, req, request, persisted: true };
    },
    mask: (error: unknown) => maskError(error, deps.log) as GraphQLError,
  };

  return {
    yoga,
    async handle(req, res) {
      if ((await readJsonBody(req)) === 'client-gone') return;
      const exact = req.url === '/graphql' || req.url?.startsWith('/graphql?');
      if (exact && (await answerPersisted(req, res, persisted))) return;
      await yoga(req, res, { req });
    },
    attachWebSocket(server) {
      const wss = new WebSocketServer({ noServer: true });
      server.on('upgrade', (req, socket, head) => {
        if (!req.url?.startsWith('/graphql')) return socket.destroy();
        wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
      });
      let open = 0;
      const disposable = useServer<{ authorization?: string }>(
        {
          onSubscribe: async (ctx, _id, params) => {
            const { schema, execute, subscribe, parse, validate } = yoga.getEnveloped({
              ...ctx,
              req: ctx.extra.request,
              socket: ctx.extra.socket,
              params,
            });
            const unstorable = unstorableParams(params);
            if (unstorable) return [maskError(unstorableInput(unstorable), deps.log) as GraphQLError];
            const ip = clientIp(ctx.extra.request, deps.config.trustedProxies);
            let contextValue: Context;
            try {
              const viewer = await viewerFor(ctx.connectionParams?.authorization ?? null, ip);
              // Not yoga's contextFactory: its context builder reads an HTTP `request`, which a socket lacks.
              contextValue = createContext(deps, viewer);
            } catch (error) {
              return [maskError(error, deps.log) as GraphQLError];
            }
            const args = {
              schema,
              operationName: params.operationName,
              document: parse(params.query),
              variableValues: params.variables,
              contextValue,
              rootValue: { execute, subscribe },
            };
            const errors = validate(args.schema, args.document);
            if (errors.length) return errors.map((e: GraphQLError) => maskError(e, deps.log) as GraphQLError);
            return args;
          },
          execute: (args: any) => args.rootValue.execute(args),
          subscribe: (args: any) => args.rootValue.subscribe(args),
          onOperation: () => {
            open++;
          },
          onComplete: () => {
            open--;
          },
        },
        wss,
      );
      return {
        openSubscriptions: () => open,
        async close() {
          for (const client of wss.clients) client.close(1001, 'server shutting down');
          await disposable.dispose();
        },
      };
    },
  };
}
