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

export function reportError(error: unknown): void {
  if (error instanceof CliError) {
    console.error(`error: ${error.message}`);
    if (error.hint) console.error(`hint: ${error.hint}`);
    return;
  }
  const message = error instanceof Error ? error.message : String(error);
  console.error(`error: ${message}`);
  if (process.env.BENCHLINE_DEBUG && error instanceof Error) console.error(error.stack);
}
