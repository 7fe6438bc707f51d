import { MeQuery } from '../api/documents/account.js';
import { CreateProjectMutation, ProjectQuery, ProjectsQuery } from '../api/documents/resources.js';
import { collectPages, LIST_MAX, parseLimit } from '../api/pages.js';
import type { FormatOptions } from '../command-options.js';
import { CliError } from '../errors.js';
import { printList, printRecord } from '../output/list.js';
import { connect } from '../session.js';

export async function listProjects(flags: FormatOptions & { limit?: string }) {
  const { client } = await connect(flags);
  // More than the server's page of 100 is read page by page.
  const limit = parseLimit(flags.limit, 50, LIST_MAX);
  const projects = await collectPages<any>(
    limit,
    async (first, after) => ((await client.request(ProjectsQuery, { first, after })) as any).projects,
  );
  printList(
    projects,
    [
      { header: 'Slug', get: (p) => p.slug },
      { header: 'Name', get: (p) => p.name },
      { header: 'Visibility', get: (p) => p.visibility.toLowerCase() },
      { header: 'Writable', get: (p) => p.canWrite },
    ],
    flags.format,
    'No projects yet: create one with `benchline project create <name>` (--org <slug> when you belong to several).',
  );
}

export async function createProject(
  name: string,
  flags: FormatOptions & { org?: string; slug?: string; visibility?: string },
) {
  const { client } = await connect(flags, { requireToken: true });
  const input = {
    name,
    organization: flags.org ?? (await onlyOrganization(client)),
    ...(flags.slug && { slug: flags.slug }),
    ...(flags.visibility && { visibility: flags.visibility.toUpperCase() as 'PUBLIC' | 'PRIVATE' }),
  };
  const { createProject } = (await client.request(CreateProjectMutation, { input })) as any;
  if (flags.format === 'json') return printRecord(createProject, 'json');
  console.log(
    `Created project ${createProject.name} (${createProject.slug}, ${createProject.visibility.toLowerCase()}).`,
  );
}

/** Without --org, the one organization the user can create projects in (the first admin's personal one). */
async function onlyOrganization(client: Awaited<ReturnType<typeof connect>>['client']): Promise<string> {
  const { me } = (await client.request(MeQuery, {})) as any;
  const writable = ((me?.organizations ?? []) as Array<{ slug: string; myRole: string | null }>).filter(
    (o) => o.myRole === 'OWNER' || o.myRole === 'MEMBER',
  );
  if (writable.length === 1) return writable[0]!.slug;
  if (writable.length === 0) {
    throw new CliError('you belong to no organization', 'create one with `benchline org create <name>`');
  }
  throw new CliError(
    'you belong to several organizations',
    `pass --org <slug>: one of ${writable.map((o) => o.slug).join(', ')}`,
  );
}

export async function viewProject(slug: string, flags: FormatOptions) {
  const { client } = await connect(flags);
  const { project } = (await client.request(ProjectQuery, { slug })) as any;
  printRecord({ ...project, url: `${client.host}/projects/${project.slug}` }, flags.format);
}
