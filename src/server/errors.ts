/** Machine-readable error codes shared by the API, the registry and the CLI. */
export type ErrorCode =
  | 'NOT_FOUND'
  | 'FORBIDDEN'
  | 'UNAUTHENTICATED'
  | 'BAD_INPUT'
  | 'CONFLICT'
  | 'RATE_LIMITED'
  | 'NO_SPEC'
  | 'IMAGE_NOT_FOUND'
  | 'INVALID_TRANSITION'
  | 'LOG_GAP'
  | 'PARSE_ERROR'
  | 'INTERNAL';

/**
 * An error a caller can act on. Domain code throws these; the GraphQL layer passes the code
 * through as `extensions.code` and everything else is masked.
 */
export class BenchlineError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'BenchlineError';
  }
}

export const notFound = (what: string, hint = '') =>
  new BenchlineError('NOT_FOUND', `${what} was not found${hint ? `: ${hint}` : ''}`);
export const forbidden = (message: string) => new BenchlineError('FORBIDDEN', message);
export const badInput = (message: string, field?: string) =>
  new BenchlineError('BAD_INPUT', message, field ? { field } : {});
export const conflict = (message: string) => new BenchlineError('CONFLICT', message);

/** Maps PostgreSQL constraint violations (a duplicate slug, a missing parent) to typed errors. */
export function fromDatabaseError(error: unknown, what: string): unknown {
  const code = (error as { code?: string })?.code;
  const constraint = (error as { constraint?: string })?.constraint ?? '';
  if (code === '23505') return conflict(`${what} already exists (${constraint}); pick another name or slug`);
  if (code === '23503') return notFound(`a record referenced by this ${what}`);
  if (code === '23514') return badInput(`${what} is not valid (${constraint})`);
  if (code === '22001') return badInput(`a value for ${what} is too long`);
  if (code === '22P02') return badInput(`a value for ${what} has the wrong format`);
  return error;
}
