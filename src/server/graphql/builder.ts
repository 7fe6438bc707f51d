import SchemaBuilder from '@pothos/core';
import ComplexityPlugin from '@pothos/plugin-complexity';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import { GraphQLScalarType, getNullableType, isListType, Kind } from 'graphql';
import { BenchlineError } from '../errors.js';
import type { Context } from './context.js';

export interface Scopes {
  /** Any caller with a valid user token. */
  signedIn: boolean;
  /** The server administrator. */
  admin: boolean;
  /** A runner authenticated by its key. */
  runner: boolean;
}

const LIMIT = { complexity: 75_000, depth: 12, breadth: 300 };

export const builder = new SchemaBuilder<{
  Context: Context;
  AuthScopes: Scopes;
  DefaultFieldNullability: false;
  Scalars: {
    DateTime: { Input: Date; Output: Date | string };
    JSON: { Input: unknown; Output: unknown };
    UUID: { Input: string; Output: string };
  };
}>({
  plugins: [ScopeAuthPlugin, RelayPlugin, ComplexityPlugin],
  defaultFieldNullability: false,
  scopeAuth: {
    authorizeOnSubscribe: true,
    authScopes: (ctx) => ({
      signedIn: ctx.viewer.kind === 'user',
      admin: ctx.viewer.kind === 'user' && ctx.viewer.isAdmin,
      runner: ctx.viewer.kind === 'runner',
    }),
    unauthorizedError: (_parent, ctx) =>
      ctx.viewer.kind === 'anonymous'
        ? new BenchlineError('UNAUTHENTICATED', 'sign in first: pass an API token (benchline auth login)')
        : new BenchlineError('FORBIDDEN', 'your credentials do not allow this operation'),
  },
  relay: { clientMutationId: 'omit', cursorType: 'String' },
  complexity: {
    // A page asks for `first` items; its `edges` list already counts 10, so the page adds first/10.
    fieldComplexity: (args, _ctx, field) => {
      const { first, last } = args as { first?: unknown; last?: unknown };
      const page = typeof first === 'number' ? first : typeof last === 'number' ? last : null;
      if (page !== null) return { field: 1, multiplier: Math.max(1, Math.ceil(page / 10)) };
      return { field: 1, multiplier: isListType(getNullableType(field.type)) ? 10 : 1 };
    },
    // A persisted document's complexity is fixed (see Context.persisted): no limit, nothing computed.
    limit: (ctx) => (ctx.persisted ? {} : LIMIT),
  },
});

builder.addScalarType(
  'DateTime',
  new GraphQLScalarType<Date, string>({
    name: 'DateTime',
    description: 'An ISO-8601 timestamp',
    serialize: (value) => (value instanceof Date ? value : new Date(String(value))).toISOString(),
    parseValue: (value) => {
      const date = new Date(String(value));
      if (Number.isNaN(date.getTime()))
        throw new BenchlineError('BAD_INPUT', `${value} is not an ISO-8601 time`);
      return date;
    },
    parseLiteral: (ast) => {
      const date = ast.kind === Kind.STRING ? new Date(ast.value) : new Date(Number.NaN);
      if (Number.isNaN(date.getTime())) throw new BenchlineError('BAD_INPUT', 'expected an ISO-8601 time');
      return date;
    },
  }),
);

builder.addScalarType(
  'JSON',
  new GraphQLScalarType({
    name: 'JSON',
    description: 'Any JSON value',
    serialize: (value) => value,
    parseValue: (value) => value,
  }),
);

builder.queryType({});
builder.mutationType({});

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function parseUuid(value: unknown): string {
  if (typeof value !== 'string' || !UUID_RE.test(value)) {
    throw new BenchlineError('BAD_INPUT', `${JSON.stringify(value)?.slice(0, 60)} is not a UUID`);
  }
  return value.toLowerCase();
}

builder.addScalarType(
  'UUID',
  new GraphQLScalarType<string, string>({
    name: 'UUID',
    description: 'A record id',
    serialize: (value) => String(value),
    parseValue: parseUuid,
    parseLiteral: (ast) => parseUuid(ast.kind === Kind.STRING ? ast.value : undefined),
  }),
);
