/** Who is calling. Resolved once per request from its credentials. */
export type Viewer =
  | { kind: 'anonymous'; ip: string }
  | { kind: 'user'; ip: string; userId: string; isAdmin: boolean; tokenId: string }
  | { kind: 'runner'; ip: string; runnerId: string };

export type Role = 'OWNER' | 'MEMBER' | 'VIEWER';

const RANK: Record<Role, number> = { VIEWER: 1, MEMBER: 2, OWNER: 3 };

export function roleAtLeast(role: Role | null, need: Role): boolean {
  return role !== null && RANK[role] >= RANK[need];
}

export function isAdmin(viewer: Viewer): boolean {
  return viewer.kind === 'user' && viewer.isAdmin;
}
