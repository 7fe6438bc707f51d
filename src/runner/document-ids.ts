import { createHash } from 'node:crypto';
import { RUNNER_DOCUMENTS } from './operations.js';

/**
 * A document's id for persisted operations: the SHA-256 of its text, in hex, as in the
 * `persistedQuery` extension (`{ version: 1, sha256Hash }`) that GraphQL clients and servers share.
 * A runner and a server built from different sources disagree on an edited document's id, so the
 * server answers PERSISTED_QUERY_NOT_FOUND rather than running a document the runner did not send.
 */
export function documentId(document: string): string {
  return createHash('sha256').update(document).digest('hex');
}

/** The runner's documents by their text, with their ids (computed once, not per call). */
export const RUNNER_DOCUMENT_IDS: ReadonlyMap<string, string> = new Map(
  RUNNER_DOCUMENTS.map((document) => [document, documentId(document)]),
);
