import type { Command } from 'commander';
import { connectionOptions, examples, formatOption } from '../command-options.js';

export function register(program: Command): void {
  const spec = program.command('spec').description('Hardware specs jobs ask for and runners serve (admin)');

  const list = formatOption(connectionOptions(spec.command('list').description('List specs')));
  examples(list, ['benchline spec list']);
  list.action(async (flags) => (await import('../actions/spec.js')).listSpecs(flags));

  const create = formatOption(
    connectionOptions(spec.command('create').description('Create a spec (admin)').argument('<name>')),
  )
    .option('--slug <slug>', 'URL name (default: from the name)')
    .requiredOption('--cpu <n>', 'CPU count')
    .requiredOption('--memory <size>', 'memory, e.g. 4GiB')
    .requiredOption('--disk <size>', 'disk, e.g. 20GiB')
    .option('--os <os>', 'operating system (default linux)')
    .option('--arch <arch>', 'architecture (default x86_64)')
    .option('--network', 'allow network access')
    .option('--default', 'make it the default spec');
  examples(create, ['benchline spec create small --cpu 2 --memory 4GiB --disk 20GiB --default']);
  create.action(async (name, flags) => (await import('../actions/spec.js')).createSpec(name, flags));

  const update = formatOption(
    connectionOptions(spec.command('update').description('Change a spec (admin)').argument('<slug>')),
  )
    .option('--name <name>', 'new name')
    .option('--slug <slug>', 'new URL name')
    .option('--cpu <n>', 'CPU count')
    .option('--memory <size>', 'memory, e.g. 8GiB')
    .option('--disk <size>', 'disk, e.g. 40GiB')
    .option('--os <os>', 'operating system')
    .option('--arch <arch>', 'architecture')
    .option('--network', 'allow network access')
    .option('--no-network', 'forbid network access')
    .option('--default', 'make it the default spec')
    .option('--no-default', 'stop it being the default')
    .option('--archive', 'archive it')
    .option('--no-archive', 'unarchive it');
  examples(update, ['benchline spec update small --default', 'benchline spec update old --archive']);
  update.action(async (slug, flags) => (await import('../actions/spec.js')).updateSpec(slug, flags));
}
