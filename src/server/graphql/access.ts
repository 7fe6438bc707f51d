import { type Access, checkOrganizationAccess, checkProjectAccess } from '../accounts/access.js';
import type { Role } from '../accounts/viewer.js';
import { notFound } from '../errors.js';
import { findProject } from '../projects/projects.js';
import type { Context } from './context.js';
import type { Row } from './loaders.js';

/** Loads a project by slug or id and checks the caller's access; private projects stay hidden. */
export async function loadProject(ctx: Context, slugOrId: string, access: Access): Promise<Row<'project'>> {
  const project = await findProject(ctx.db, slugOrId);
  if (!project) throw notFound(`project "${slugOrId}"`, 'check the slug (benchline project list)');
  await checkProjectAccess(ctx.viewer, project, access, ctx.role);
  return project;
}

export async function loadProjectById(ctx: Context, id: string, access: Access): Promise<Row<'project'>> {
  const project = await ctx.loaders.project.load(id);
  if (!project) throw notFound('project');
  await checkProjectAccess(ctx.viewer, project, access, ctx.role);
  return project;
}

export async function loadOrganization(ctx: Context, slugOrId: string, need: Role | 'READ') {
  const isUuid = /^[0-9a-f-]{36}$/i.test(slugOrId);
  const org = await ctx.db
    .selectFrom('organization')
    .selectAll()
    .where(isUuid ? 'id' : 'slug', '=', slugOrId)
    .executeTakeFirst();
  if (!org) throw notFound(`organization "${slugOrId}"`);
  await checkOrganizationAccess(ctx.viewer, org.id, need === 'READ' ? 'VIEWER' : need, ctx.role);
  return org;
}
