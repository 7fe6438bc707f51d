import { type Command, Option } from 'commander';
import { connectionOptions, examples, formatOption } from '../command-options.js';

export function register(program: Command): void {
  const project = program.command('project').description('Projects');

  const list = formatOption(
    connectionOptions(project.command('list').description('List the projects you can see')),
  );
  list.option('--limit <n>', 'how many', '50');
  examples(list, ['benchline project list', 'benchline project list --format json']);
  list.action(async (flags) => (await import('../actions/project.js')).listProjects(flags));

  const create = formatOption(
    connectionOptions(project.command('create').description('Create a project').argument('<name>')),
  )
    .option('--org <slug>', 'organization that owns it (default: your only one, e.g. your personal org)')
    .option('--slug <slug>', 'URL name (default: from the name)')
    .addOption(new Option('--visibility <v>', 'who can see it').choices(['public', 'private']));
  examples(create, [
    'benchline project create "My App"',
    'benchline project create "My App" --org acme',
    'benchline project create api --org acme --visibility private',
  ]);
  create.action(async (name, flags) => (await import('../actions/project.js')).createProject(name, flags));

  const view = formatOption(
    connectionOptions(project.command('view').description('Show a project').argument('<slug>')),
  );
  examples(view, ['benchline project view my-app']);
  view.action(async (slug, flags) => (await import('../actions/project.js')).viewProject(slug, flags));
}
