/** How a local benchmark command is started. */
export interface LocalCommand {
  file: string;
  args: string[];
  /** What to show the user. */
  display: string;
}

/**
 * One argument is a shell command line (`"cargo bench --all"`), as Bencher does; several are an
 * argv run without a shell, so quoting survives exactly as typed.
 */
export function localCommand(positional: string[], shell = '/bin/sh'): LocalCommand | null {
  if (positional.length === 0) return null;
  if (positional.length === 1) return { file: shell, args: ['-c', positional[0]], display: positional[0] };
  const [file, ...args] = positional;
  return { file, args, display: positional.map(quoteForDisplay).join(' ') };
}

function quoteForDisplay(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`;
}
