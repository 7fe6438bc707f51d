import { parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from '../server/graphql/schema.js';
import * as operations from './operations.js';

describe('runner operations', () => {
  const documents = Object.entries(operations as Record<string, unknown>).filter(
    (entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1].includes('mutation'),
  );

  it('covers every runner mutation', () => {
    expect(documents.map(([name]) => name).sort()).toEqual([
      'APPEND_JOB_LOGS',
      'CLAIM_JOB',
      'COMPLETE_JOB',
      'COMPLETE_JOB_WITH_LOGS',
      'FAIL_JOB',
      'HEARTBEAT_JOB',
      'REPORT_PREFLIGHT',
      'START_JOB',
    ]);
  });

  it.each(documents)('%s validates against the server schema', (_name, document) => {
    expect(validate(schema, parse(document)).map((e) => e.message)).toEqual([]);
  });
});
