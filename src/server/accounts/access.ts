import type { Database } from '../db/database.js';
import { BenchlineError, forbidden, notFound } from '../errors.js';
import { isAdmin, type Role, roleAtLeast, type Viewer } from './viewer.js';

/** Finds the viewer's role in an organization; the GraphQL context backs it with a per-request DataLoader. */
export type RoleLookup = (organizationId: string) => Promise<Role | null>;

export function roleLookup(db: Database, viewer: Viewer): RoleLookup {
  return async (organizationId) => {
    if (viewer.kind !== 'user') return null;
    const row = await db
      .selectFrom('membership')
      .select('role')
      .where('organization_id', '=', organizationId)
      .where('user_id', '=', viewer.userId)
      .executeTakeFirst();
    return (row?.role as Role | undefined) ?? null;
  };
}

export type Access = 'READ' | 'WRITE' | 'OWN';

const NEED: Record<Exclude<Access, 'READ'>, Role> = { WRITE: 'MEMBER', OWN: 'OWNER' };

interface ProjectLike {
  organization_id: string;
  visibility: string;
}

/**
 * Whether the viewer may read or change a project. A private project the viewer cannot read
 * answers NOT_FOUND, so its existence does not leak.
 */
export async function checkProjectAccess(
  viewer: Viewer,
  project: ProjectLike,
  access: Access,
  role: RoleLookup,
): Promise<void> {
  if (isAdmin(viewer)) return;
  const myRole = await role(project.organization_id);
  const canRead = project.visibility === 'PUBLIC' || myRole !== null;
  if (!canRead)
    throw notFound('project', 'it does not exist or you cannot see it; sign in with a token that can');
  if (access === 'READ') return;
  if (viewer.kind === 'anonymous') {
    throw new BenchlineError('UNAUTHENTICATED', 'sign in first: pass an API token (benchline auth login)');
  }
  if (!roleAtLeast(myRole, NEED[access])) {
    throw forbidden(`this needs the ${NEED[access].toLowerCase()} role in the project's organization`);
  }
}

export async function canAccessProject(
  viewer: Viewer,
  project: ProjectLike,
  access: Access,
  role: RoleLookup,
): Promise<boolean> {
  try {
    await checkProjectAccess(viewer, project, access, role);
    return true;
  } catch (error) {
    if (error instanceof BenchlineError) return false;
    throw error;
  }
}

export async function checkOrganizationAccess(
  viewer: Viewer,
  organizationId: string,
  need: Role,
  role: RoleLookup,
): Promise<void> {
  if (isAdmin(viewer)) return;
  if (viewer.kind !== 'user') {
    throw new BenchlineError('UNAUTHENTICATED', 'sign in first: pass an API token (benchline auth login)');
  }
  const myRole = await role(organizationId);
  if (myRole === null) throw notFound('organization');
  if (!roleAtLeast(myRole, need))
    throw forbidden(`this needs the ${need.toLowerCase()} role in the organization`);
}
