import type { Command } from 'commander';
import { connectionOptions, examples, formatOption } from '../command-options.js';

export function register(program: Command): void {
  const testbed = program.command('testbed').description("A project's testbeds (where benchmarks run)");

  const list = formatOption(
    connectionOptions(testbed.command('list').description('List testbeds')),
  ).requiredOption('--project <slug>', 'project slug or id');
  examples(list, ['benchline testbed list --project my-app']);
  list.action(async (flags) => (await import('../actions/testbed.js')).listTestbeds(flags.project, flags));

  const create = formatOption(
    connectionOptions(testbed.command('create').description('Create a testbed').argument('<name>')),
  )
    .requiredOption('--project <slug>', 'project slug or id')
    .option('--slug <slug>', 'URL name (default: from the name)')
    .option('--spec <slug>', 'hardware spec its jobs run on');
  examples(create, ['benchline testbed create ci-large --project my-app --spec large']);
  create.action(async (name, flags) => (await import('../actions/testbed.js')).createTestbed(name, flags));
}
