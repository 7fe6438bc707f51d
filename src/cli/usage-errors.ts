import type { Command, CommanderError } from 'commander';
import { CliError } from './errors.js';

/**
 * Under `--format json`, commander's own usage errors (an unknown option, a missing argument, a
 * value outside its choices) must reach a script as the error document too. Its text output is
 * silenced and its exit turned into a throw that main.ts prints. Set on the program before the
 * commands register: each subcommand copies these settings when it is made.
 */
export function throwUsageErrors(program: Command): void {
  program.exitOverride().configureOutput({ writeErr: () => {}, outputError: () => {} });
}

/** What a thrown CommanderError means: help or the version shown (exit 0), or a usage error. */
export function usageError(
  error: CommanderError,
  program: Command,
  argv: readonly string[],
): CliError | null {
  if (error.exitCode === 0) return null;
  const path = commandPath(program, argv);
  // `commander.help`: a group run without its subcommand (commander would print the help on stderr).
  const message =
    error.code === 'commander.help'
      ? `\`${path}\` needs a subcommand`
      : error.message.replace(/^error: /, '');
  return new CliError(message, `see the usage with \`${path} --help\``, 'USAGE');
}

/** The command the arguments name (`benchline threshold create`), for the hint. */
function commandPath(program: Command, argv: readonly string[]): string {
  const names = [program.name()];
  let command = program;
  for (const arg of argv) {
    const sub = command.commands.find((c) => c.name() === arg || c.aliases().includes(arg));
    if (!sub) {
      if (arg.startsWith('-')) continue;
      break;
    }
    names.push(sub.name());
    command = sub;
  }
  return names.join(' ');
}
