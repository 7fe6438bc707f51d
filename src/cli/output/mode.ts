export type OutputMode = 'interactive' | 'plain' | 'json' | 'markdown';

/** Ink only where a person watches a terminal; CI logs and pipes get plain lines. */
export function outputMode(
  options: { format?: string; quiet?: boolean },
  stdoutIsTTY = Boolean(process.stdout.isTTY),
  env: Record<string, string | undefined> = process.env,
): OutputMode {
  if (options.format === 'json') return 'json';
  if (options.format === 'markdown') return 'markdown';
  if (options.quiet || !stdoutIsTTY || isCi(env) || env.TERM === 'dumb') return 'plain';
  return 'interactive';
}

function isCi(env: Record<string, string | undefined>): boolean {
  const ci = env.CI?.toLowerCase();
  return ci !== undefined && ci !== '' && ci !== '0' && ci !== 'false';
}
