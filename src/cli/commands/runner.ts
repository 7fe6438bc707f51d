import type { Command } from 'commander';
import { collect, connectionOptions, examples, formatOption } from '../command-options.js';

/** The `runner` group, made once; the runner daemon's file adds `runner up` to it through this. */
export function runnerGroup(program: Command): Command {
  return (
    program.commands.find((c) => c.name() === 'runner') ??
    program.command('runner').description('Runners: machines that execute jobs')
  );
}

export function register(program: Command): void {
  const runner = runnerGroup(program);

  const list = formatOption(connectionOptions(runner.command('list').description('List runners (admin)')));
  examples(list, ['benchline runner list']);
  list.action(async (flags) => (await import('../actions/runner.js')).listRunners(flags));

  const create = formatOption(
    connectionOptions(
      runner.command('create').description('Create a runner and print its key (admin)').argument('<name>'),
    ),
  )
    .option('--slug <slug>', 'URL name (default: from the name)')
    .option('--spec <slug>', 'a spec it serves (repeatable; default: the default spec)', collect);
  examples(create, [
    'benchline runner create rack-1',
    'benchline runner create rack-1 --spec small --spec large',
  ]);
  create.action(async (name, flags) => (await import('../actions/runner.js')).createRunner(name, flags));
}
