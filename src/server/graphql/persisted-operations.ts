import {
  type DocumentNode,
  GraphQLError,
  type GraphQLSchema,
  getOperationAST,
  parse,
  validate,
} from 'graphql';
import { RUNNER_DOCUMENT_IDS } from '../../runner/document-ids.js';

/** A document the server knows by id: parsed and validated once, when the server starts. */
export interface PersistedOperation {
  id: string;
  query: string;
  document: DocumentNode;
  operationName: string | null;
}

/**
 * The runner's documents (src/runner/operations.ts) by id. A request that names one by id skips
 * parsing and validation, and does not carry the document. A document that does not validate
 * against this schema is left out: a runner sending its id is told the id is unknown and sends
 * the document itself, which then gets its real validation errors.
 */
export function persistedOperations(schema: GraphQLSchema): ReadonlyMap<string, PersistedOperation> {
  const operations = new Map<string, PersistedOperation>();
  for (const [query, id] of RUNNER_DOCUMENT_IDS) {
    const document = parse(query);
    if (validate(schema, document).length > 0) continue;
    operations.set(id, {
      id,
      query,
      document,
      operationName: getOperationAST(document)?.name?.value ?? null,
    });
  }
  return operations;
}

/**
 * The id of a request that names its document by id (`extensions.persistedQuery.sha256Hash`);
 * undefined when it does not, and also when the request carries the document anyway (it is then
 * run as sent).
 */
export function persistedId(params: { query?: unknown; extensions?: unknown }): string | undefined {
  if (params.query !== undefined && params.query !== null) return undefined;
  const extensions = params.extensions as { persistedQuery?: { sha256Hash?: unknown } } | null | undefined;
  const id = extensions?.persistedQuery?.sha256Hash;
  return typeof id === 'string' ? id : undefined;
}

/** What a client gets for an id this server does not know: it should send the document instead. */
export function unknownPersistedOperation(id: string): GraphQLError {
  return new GraphQLError(
    `unknown persisted operation ${JSON.stringify(id.slice(0, 80))}: this server does not know that document; send the document itself`,
    { extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } },
  );
}
