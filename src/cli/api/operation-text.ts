// The text of an operation, printed once per document. Only graphql's printer is loaded (its
// package index would load all of graphql, a large part of the CLI's start-up); see docs/figures.md.
import { print } from 'graphql/language/printer.js';
import type { Operation } from './client.js';

const printed = new WeakMap<object, string>();

export function operationText<TResult, TVariables>(operation: Operation<TResult, TVariables>): string {
  if (typeof operation === 'string') return operation;
  let text = printed.get(operation);
  if (text === undefined) {
    text = print(operation);
    printed.set(operation, text);
  }
  return text;
}
