import { checkName, checkSlug, slugify } from '../accounts/slug.js';
import { isAdmin, type Viewer } from '../accounts/viewer.js';
import type { Database } from '../db/database.js';
import { fromDatabaseError, notFound } from '../errors.js';

export type Visibility = 'PUBLIC' | 'PRIVATE';

export interface ProjectInput {
  organizationId: string;
  name: string;
  slug?: string | null;
  visibility?: Visibility | null;
}

export async function createProject(db: Database, input: ProjectInput) {
  const name = checkName(input.name);
  const slug = checkSlug(input.slug ?? slugify(name));
  try {
    return await db
      .insertInto('project')
      .values({
        organization_id: input.organizationId,
        name,
        slug,
        visibility: input.visibility ?? 'PUBLIC',
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  } catch (error) {
    throw fromDatabaseError(error, 'project');
  }
}

export interface ProjectPatch {
  name?: string | null;
  slug?: string | null;
  visibility?: Visibility | null;
  archived?: boolean | null;
}

export async function updateProject(db: Database, projectId: string, patch: ProjectPatch, now: Date) {
  const set: Record<string, unknown> = { updated_at: now };
  if (patch.name != null) set.name = checkName(patch.name);
  if (patch.slug != null) set.slug = checkSlug(patch.slug);
  if (patch.visibility != null) set.visibility = patch.visibility;
  if (patch.archived != null) set.archived_at = patch.archived ? now : null;
  try {
    const row = await db
      .updateTable('project')
      .set(set)
      .where('id', '=', projectId)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw notFound('project');
    return row;
  } catch (error) {
    throw fromDatabaseError(error, 'project');
  }
}

export async function findProject(db: Database, slugOrId: string) {
  const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(slugOrId);
  return db
    .selectFrom('project')
    .selectAll()
    .where(isUuid ? 'id' : 'slug', '=', slugOrId.toLowerCase())
    .executeTakeFirst();
}

/**
 * The unarchived projects the viewer may read, as a query to page through: public ones and those of
 * the viewer's organizations; every one for an admin. The list form of checkProjectAccess's READ.
 */
export function readableProjects(db: Database, viewer: Viewer) {
  const query = db.selectFrom('project').selectAll('project').where('archived_at', 'is', null);
  if (isAdmin(viewer)) return query;
  if (viewer.kind !== 'user') return query.where('visibility', '=', 'PUBLIC');
  return query.where((eb) =>
    eb.or([
      eb('visibility', '=', 'PUBLIC'),
      eb(
        'organization_id',
        'in',
        eb.selectFrom('membership').select('organization_id').where('user_id', '=', viewer.userId),
      ),
    ]),
  );
}
