import type { Command } from 'commander';
import { connectionOptions, examples, formatOption } from '../command-options.js';

export function register(program: Command): void {
  const branch = program.command('branch').description("A project's branches");

  const list = formatOption(
    connectionOptions(branch.command('list').description('List branches')),
  ).requiredOption('--project <slug>', 'project slug or id');
  examples(list, ['benchline branch list --project my-app']);
  list.action(async (flags) => (await import('../actions/branch.js')).listBranches(flags.project, flags));

  const create = formatOption(
    connectionOptions(branch.command('create').description('Create a branch').argument('<name>')),
  )
    .requiredOption('--project <slug>', 'project slug or id')
    .option('--slug <slug>', 'URL name (default: from the name)')
    .option('--start-point <branch>', 'branch whose history it starts from')
    .option('--start-point-hash <sha>', 'git hash on the start point');
  examples(create, ['benchline branch create feature-x --project my-app --start-point main']);
  create.action(async (name, flags) => (await import('../actions/branch.js')).createBranch(name, flags));
}
