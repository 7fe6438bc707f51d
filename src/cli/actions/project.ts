import { CreateProjectMutation, ProjectQuery, ProjectsQuery } from '../api/documents/resources.js';
import type { FormatOptions } from '../command-options.js';
import { CliError } from '../errors.js';
import { nodes, printList, printRecord } from '../output/list.js';
import { connect } from '../session.js';

export async function listProjects(flags: FormatOptions & { limit?: string }) {
  const { client } = await connect(flags);
  const data = (await client.request(ProjectsQuery, { first: Number(flags.limit ?? 50) })) as any;
  printList(
    nodes<any>(data.projects),
    [
      { header: 'Slug', get: (p) => p.slug },
      { header: 'Name', get: (p) => p.name },
      { header: 'Visibility', get: (p) => p.visibility.toLowerCase() },
      { header: 'Writable', get: (p) => p.canWrite },
    ],
    flags.format,
    'No projects yet: create one with `benchline project create <name> --org <slug>`.',
  );
}

export async function createProject(
  name: string,
  flags: FormatOptions & { org?: string; slug?: string; visibility?: string },
) {
  if (!flags.org)
    throw new CliError('no organization given', 'pass --org <slug> (see `benchline auth whoami`)');
  const { client } = await connect(flags, { requireToken: true });
  const input = {
    name,
    organization: flags.org,
    ...(flags.slug && { slug: flags.slug }),
    ...(flags.visibility && { visibility: flags.visibility.toUpperCase() as 'PUBLIC' | 'PRIVATE' }),
  };
  const { createProject } = (await client.request(CreateProjectMutation, { input })) as any;
  if (flags.format === 'json') return printRecord(createProject, 'json');
  console.log(
    `Created project ${createProject.name} (${createProject.slug}, ${createProject.visibility.toLowerCase()}).`,
  );
}

export async function viewProject(slug: string, flags: FormatOptions) {
  const { client } = await connect(flags);
  const { project } = (await client.request(ProjectQuery, { slug })) as any;
  printRecord({ ...project, url: `${client.host}/projects/${project.slug}` }, flags.format);
}
