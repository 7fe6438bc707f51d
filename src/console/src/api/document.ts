import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';

export type Document<TResult, TVariables> = TypedDocumentNode<TResult, TVariables>;

const printed = new WeakMap<object, string>();

/** The query text to send; printed once per document. */
export function sourceOf(document: Document<any, any>): string {
  let text = printed.get(document);
  if (!text) {
    text = print(document);
    printed.set(document, text);
  }
  return text;
}
