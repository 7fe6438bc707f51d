import { graphql as generated } from '../../gql/index.js';

/**
 * The generated `graphql()` with one fallback: when src/gql was generated before an operation
 * was added, it returns `{}`; we then send the source text itself, so a stale codegen cannot
 * break a command at run time (codegen still finds these calls by the `graphql` name).
 */
export const graphql = ((source: string) => {
  const document = (generated as (s: string) => unknown)(source);
  return isDocument(document) ? document : source;
}) as typeof generated;

function isDocument(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'Document';
}
