import { type Access, checkOrganizationAccess, checkProjectAccess } from '../accounts/access.js';
import type { Role } from '../accounts/viewer.js';
import { BenchlineError, notFound } from '../errors.js';
import { findProject } from '../projects/projects.js';
import type { Context } from './context.js';
import type { Row } from './loaders.js';

/**
 * A project the caller may not see and one that does not exist get the same answer, word for word,
 * so a private project's existence does not leak through the message.
 */
const projectNotFound = (slugOrId: string) =>
  notFound(
    `project "${slugOrId}"`,
    'it does not exist or you cannot see it; check the slug (benchline project list)',
  );

/** Rethrows a NOT_FOUND from an access check as the caller's own "missing" error. */
async function hidden(check: Promise<void>, missing: () => Error): Promise<void> {
  try {
    await check;
  } catch (error) {
    if (error instanceof BenchlineError && error.code === 'NOT_FOUND') throw missing();
    throw error;
  }
}

/** Loads a project by slug or id and checks the caller's access; private projects stay hidden. */
export async function loadProject(ctx: Context, slugOrId: string, access: Access): Promise<Row<'project'>> {
  const project = await findProject(ctx.db, slugOrId);
  if (!project) throw projectNotFound(slugOrId);
  await hidden(checkProjectAccess(ctx.viewer, project, access, ctx.role), () => projectNotFound(slugOrId));
  return project;
}

/**
 * The project of something the caller named (a report, a job…): `missing` is that thing's own
 * NOT_FOUND, answered when the caller may not see its project, as when it does not exist.
 */
export async function loadProjectById(
  ctx: Context,
  id: string,
  access: Access,
  missing: () => Error = () => projectNotFound(id),
): Promise<Row<'project'>> {
  const project = await ctx.loaders.project.load(id);
  if (!project) throw missing();
  await hidden(checkProjectAccess(ctx.viewer, project, access, ctx.role), missing);
  return project;
}

export async function loadOrganization(ctx: Context, slugOrId: string, need: Role | 'READ') {
  const isUuid = /^[0-9a-f-]{36}$/i.test(slugOrId);
  const org = await ctx.db
    .selectFrom('organization')
    .selectAll()
    .where(isUuid ? 'id' : 'slug', '=', slugOrId)
    .executeTakeFirst();
  const missing = () => notFound(`organization "${slugOrId}"`);
  if (!org) throw missing();
  await hidden(
    checkOrganizationAccess(ctx.viewer, org.id, need === 'READ' ? 'VIEWER' : need, ctx.role),
    missing,
  );
  return org;
}
