import type { Command } from 'commander';

/** Kept free of heavy imports: every command registers at start-up, before any action runs. */

export interface ConnectionOptions {
  host?: string;
  token?: string;
}

export interface FormatOptions extends ConnectionOptions {
  format?: string;
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function connectionOptions(command: Command): Command {
  return command
    .option('--host <url>', 'Benchline server (env BENCHLINE_HOST, default http://127.0.0.1:8080)')
    .option('--token <token>', 'API token (env BENCHLINE_TOKEN, else the one saved by `auth login`)');
}

export function formatOption(command: Command): Command {
  return command.option('--format <format>', 'human or json', 'human');
}

export function examples(command: Command, lines: string[]): Command {
  return command.addHelpText('after', `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`);
}

/** Runs an action that returns an exit code, loaded only when the command runs. */
export function exitWith(code: number | undefined): void {
  if (code) process.exitCode = code;
}
