import { checkName, checkSlug, slugify } from '../accounts/slug.js';
import { isAdmin, type Viewer } from '../accounts/viewer.js';
import type { Database } from '../db/database.js';
import { badInput, fromDatabaseError, notFound } from '../errors.js';

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

export interface ProjectPatch extends ConfirmSettings {
  name?: string | null;
  slug?: string | null;
  visibility?: Visibility | null;
  archived?: boolean | null;
}

/** Confirmation settings a project may change (docs/confirmation.md); BAD_INPUT outside their range. */
export interface ConfirmSettings {
  confirmRounds?: number | null;
  confirmAlpha?: number | null;
  confirmMinEffect?: number | null;
}

export function checkConfirmSettings(patch: ConfirmSettings): Record<string, number> {
  const set: Record<string, number> = {};
  if (patch.confirmRounds != null) {
    if (!Number.isInteger(patch.confirmRounds) || patch.confirmRounds < 0 || patch.confirmRounds > 30)
      throw badInput(
        `confirmRounds must be a whole number from 0 to 30, not ${patch.confirmRounds}: give 0 to turn confirmation off, or the rounds to run (default 5; more are run when many alerts need them)`,
        'confirmRounds',
      );
    set.confirm_rounds = patch.confirmRounds;
  }
  if (patch.confirmAlpha != null) {
    if (!(patch.confirmAlpha > 0 && patch.confirmAlpha < 0.5))
      throw badInput(
        `confirmAlpha must be above 0 and below 0.5, not ${patch.confirmAlpha}: it is the chance of confirming a change that is not there (default 0.05; 0.01 is stricter)`,
        'confirmAlpha',
      );
    set.confirm_alpha = patch.confirmAlpha;
  }
  if (patch.confirmMinEffect != null) {
    if (!(patch.confirmMinEffect >= 0 && patch.confirmMinEffect <= 1000))
      throw badInput(
        `confirmMinEffect must be a percentage from 0 to 1000, not ${patch.confirmMinEffect}: the smallest change to confirm, e.g. 1 for 1 % (the default)`,
        'confirmMinEffect',
      );
    set.confirm_min_effect = patch.confirmMinEffect;
  }
  return set;
}

export async function updateProject(db: Database, projectId: string, patch: ProjectPatch, now: Date) {
  const set: Record<string, unknown> = { updated_at: now };
  if (patch.name != null) set.name = checkName(patch.name);
  if (patch.slug != null) set.slug = checkSlug(patch.slug);
  if (patch.visibility != null) set.visibility = patch.visibility;
  if (patch.archived != null) set.archived_at = patch.archived ? now : null;
  Object.assign(set, checkConfirmSettings(patch));
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
