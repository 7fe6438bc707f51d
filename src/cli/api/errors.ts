import { CliError } from '../errors.js';

export interface GraphqlErrorEntry {
  message: string;
  path?: ReadonlyArray<string | number>;
  extensions?: { code?: string; [key: string]: unknown };
}

/** The server could not be reached or answered 5xx: worth retrying. */
export class TransientError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    /** False when the request surely never reached the server (connection refused, DNS). */
    readonly sent = status !== undefined,
  ) {
    super(message);
    this.name = 'TransientError';
  }
}

/** HTTP 429: the server refused before doing anything, so even a mutation is safe to send again. */
export class RateLimitedError extends TransientError {
  constructor(
    readonly errors: GraphqlErrorEntry[],
    /** The server's Retry-After, in seconds. */
    readonly retryAfterSeconds: number | undefined,
  ) {
    super(errors[0]?.message ?? 'too many requests', 429, false);
    this.name = 'RateLimitedError';
  }
}

const HINTS: Record<string, string> = {
  UNAUTHENTICATED: 'sign in with `benchline auth login`, or pass --token / set BENCHLINE_TOKEN',
  FORBIDDEN: 'check that your token belongs to a member of this project (`benchline auth whoami`)',
  NOT_FOUND: 'check the slug or id (list them with `benchline project list`, `benchline job list`, …)',
  BAD_INPUT: 'fix the value named above and try again (see --help)',
  RATE_LIMITED: 'wait a minute and try again, or sign in: signed-in callers get higher limits',
  NO_SPEC: 'pass --spec <slug> (see `benchline spec list`), or ask an admin to set a default spec',
  IMAGE_NOT_FOUND: 'push the image first with `benchline image push <dir|tarball> <name:tag>`',
  CONFLICT: 'the resource already exists or changed meanwhile; list it and retry',
};

/** Turns the first GraphQL error into a CliError that tells the user what to do next. */
export function graphqlError(errors: GraphqlErrorEntry[]): CliError {
  const first = errors[0];
  const code = first?.extensions?.code;
  const message = errors.map((e) => e.message).join('; ');
  if (isUnknownOperation(errors)) {
    return new CliError(
      message,
      'this server does not support the operation yet: upgrade the server (or the CLI to match it)',
      'UNSUPPORTED',
    );
  }
  // The server's own message often says what to do already (`… push it first with benchline image
  // push`): the generic hint would only say it again.
  const saysWhatToDo = /\bbenchline [a-z]/.test(message);
  return new CliError(message, code && !saysWhatToDo ? HINTS[code] : undefined, code);
}

/** Validation errors such as `Cannot query field "createRun" on type "Mutation"` mean an older server. */
function isUnknownOperation(errors: GraphqlErrorEntry[]): boolean {
  return errors.some((e) => /^Cannot query field|^Unknown type|^Unknown argument/.test(e.message));
}

export function unreachable(host: string, cause: unknown): CliError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new CliError(
    `cannot reach the Benchline server at ${host} (${reason})`,
    'start it with `benchline server`, or point to it with --host / BENCHLINE_HOST',
    'UNREACHABLE',
  );
}
