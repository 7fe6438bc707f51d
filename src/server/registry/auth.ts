import type { IncomingMessage } from 'node:http';
import { authenticate } from '../accounts/tokens.js';
import { isAdmin, type Role, roleAtLeast, type Viewer } from '../accounts/viewer.js';
import { clientIp } from '../http/client-ip.js';
import type { RegistryContext } from './context.js';
import { registryError } from './errors.js';
import { checkRepositoryName } from './names.js';
import { allows, type RegistryAction, type RegistryClaims } from './tokens.js';

/** Who is calling the registry: a scoped registry token, or a viewer (anonymous, or an API token used directly). */
export type Caller = { kind: 'token'; claims: RegistryClaims } | { kind: 'viewer'; viewer: Viewer };

export interface RepositoryAccess {
  project: { id: string; organization_id: string; visibility: string } | null;
  /** False when the project is private to the caller (or missing): its existence must not leak. */
  readable: boolean;
  actions: RegistryAction[];
}

export const SERVICE = 'benchline';

/** The header Docker clients follow to the token endpoint. */
export function challenge(ctx: RegistryContext, scope?: string, error?: string): Record<string, string> {
  const parts = [`realm="${ctx.config.publicUrl}/v2/token"`, `service="${SERVICE}"`];
  if (scope) parts.push(`scope="${scope}"`);
  if (error) parts.push(`error="${error}"`);
  return { 'www-authenticate': `Bearer ${parts.join(',')}` };
}

export function parseAuthorization(
  header: string | undefined,
): { scheme: 'bearer'; token: string } | { scheme: 'basic'; username: string; password: string } | null {
  if (!header) return null;
  const match = /^(\w+)\s+(\S+)\s*$/.exec(header);
  if (!match) return null;
  const scheme = match[1].toLowerCase();
  if (scheme === 'bearer') return { scheme, token: match[2] };
  if (scheme === 'basic') {
    const decoded = Buffer.from(match[2], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return null;
    return { scheme, username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  }
  return null;
}

/** Resolves the request's credentials; bad credentials are an error, none is the anonymous caller. */
export async function identify(ctx: RegistryContext, req: IncomingMessage): Promise<Caller> {
  const ip = clientIp(req, ctx.config.trustedProxies);
  const auth = parseAuthorization(req.headers.authorization);
  const now = ctx.clock.now();
  if (!auth) return { kind: 'viewer', viewer: { kind: 'anonymous', ip } };
  const secret = auth.scheme === 'bearer' ? auth.token : auth.password;
  if (auth.scheme === 'bearer' && secret.startsWith('eyJ')) {
    const claims = await ctx.tokens.verify(secret, now);
    if (!claims) {
      throw registryError('UNAUTHORIZED', 'the registry token is invalid or expired: fetch a new one', null, {
        headers: challenge(ctx, undefined, 'invalid_token'),
      });
    }
    return { kind: 'token', claims };
  }
  const viewer = await authenticate(ctx.db, secret, ip, now);
  if (!viewer || viewer.kind === 'anonymous') {
    throw registryError(
      'UNAUTHORIZED',
      'the credentials are not valid: use a Benchline API token (any user name, the token as password)',
      null,
      { headers: challenge(ctx, undefined, 'invalid_token') },
    );
  }
  return { kind: 'viewer', viewer };
}

/** What a viewer may do in a repository, from the owning project's visibility and the viewer's role. */
export async function repositoryAccess(
  ctx: RegistryContext,
  viewer: Viewer,
  repository: string,
): Promise<RepositoryAccess> {
  const { projectSlug } = checkRepositoryName(repository);
  const project = await ctx.db
    .selectFrom('project')
    .select(['id', 'organization_id', 'visibility'])
    .where('slug', '=', projectSlug)
    .executeTakeFirst();
  if (!project) return { project: null, readable: false, actions: [] };
  if (isAdmin(viewer)) return { project, readable: true, actions: ['pull', 'push', 'delete'] };
  let role: Role | null = null;
  if (viewer.kind === 'user') {
    const row = await ctx.db
      .selectFrom('membership')
      .select('role')
      .where('organization_id', '=', project.organization_id)
      .where('user_id', '=', viewer.userId)
      .executeTakeFirst();
    role = (row?.role as Role | undefined) ?? null;
  }
  const readable = project.visibility === 'PUBLIC' || role !== null;
  const actions: RegistryAction[] = [];
  if (readable) actions.push('pull');
  if (viewer.kind === 'user' && roleAtLeast(role, 'MEMBER')) actions.push('push', 'delete');
  return { project, readable, actions };
}

const scopeFor = (repository: string, action: RegistryAction) =>
  `repository:${repository}:${action === 'pull' ? 'pull' : 'pull,push'}`;

/**
 * Throws unless the caller may do `action` in `repository`. Anonymous callers and tokens without the
 * scope get a 401 challenge (clients then fetch a token); signed-in callers get NAME_UNKNOWN or DENIED.
 */
export async function authorize(
  ctx: RegistryContext,
  caller: Caller,
  repository: string,
  action: RegistryAction,
): Promise<void> {
  checkRepositoryName(repository);
  if (caller.kind === 'token') {
    if (
      allows(caller.claims, repository, action) ||
      (action === 'delete' && allows(caller.claims, repository, 'push'))
    )
      return;
    throw registryError(
      'UNAUTHORIZED',
      `this token may not ${action} ${repository}: the repository does not exist or you lack access`,
      { repository, action },
      { headers: challenge(ctx, scopeFor(repository, action), 'insufficient_scope') },
    );
  }
  const access = await repositoryAccess(ctx, caller.viewer, repository);
  if (access.actions.includes(action)) return;
  if (caller.viewer.kind === 'anonymous') {
    throw registryError(
      'UNAUTHORIZED',
      'authentication required: sign in with a Benchline API token',
      {
        repository,
        action,
      },
      { headers: challenge(ctx, scopeFor(repository, action)) },
    );
  }
  if (!access.readable) {
    throw registryError(
      'NAME_UNKNOWN',
      `repository ${repository} is unknown: its first component must be the slug of a project you can see`,
      { repository },
    );
  }
  throw registryError(
    'DENIED',
    `you may not ${action} ${repository}: that needs the member role in the project's organization`,
    { repository, action },
  );
}
