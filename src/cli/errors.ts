/** An error with what to do about it; the CLI prints it without a stack trace and exits 1. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** What `--format json` prints for an error, on stdout, so a script reads one document whatever happened. */
export interface ErrorDocument {
  error: { code: string; message: string; hint: string | null };
}

export function errorDocument(error: unknown): ErrorDocument {
  if (error instanceof CliError) {
    return { error: { code: error.code ?? 'ERROR', message: error.message, hint: error.hint ?? null } };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { error: { code: 'ERROR', message, hint: null } };
}

/** Whether the command line asked for JSON output (`--format json` or `--format=json`). */
export function wantsJson(argv: readonly string[]): boolean {
  return argv.some((arg, i) => arg === '--format=json' || (arg === '--format' && argv[i + 1] === 'json'));
}

export function reportError(error: unknown, json = wantsJson(process.argv)): void {
  if (json) {
    process.stdout.write(`${JSON.stringify(errorDocument(error), null, 2)}\n`);
    return;
  }
  if (error instanceof CliError) {
    console.error(`error: ${error.message}`);
    if (error.hint) console.error(`hint: ${error.hint}`);
    return;
  }
  const message = error instanceof Error ? error.message : String(error);
  console.error(`error: ${message}`);
  if (process.env.BENCHLINE_DEBUG && error instanceof Error) console.error(error.stack);
}
