import type { IncomingMessage, ServerResponse } from 'node:http';
import { authenticateThrottled } from '../../accounts/auth-throttle.js';
import type { Viewer } from '../../accounts/viewer.js';
import { BenchlineError } from '../../errors.js';
import { clientIp } from '../../http/client-ip.js';
import { parseAuthorization, repositoryAccess } from '../auth.js';
import type { RegistryContext } from '../context.js';
import { registryError } from '../errors.js';
import { readBody, sendJson } from '../http.js';
import type { RegistryAction, RegistryGrant } from '../tokens.js';

const ACTIONS = new Set<string>(['pull', 'push', 'delete']);

/** Parses `repository:<name>:<actions>` scopes; anything else is ignored, as Docker's token servers do. */
export function parseScopes(scopes: string[]): Array<{ name: string; actions: Set<RegistryAction> }> {
  const result: Array<{ name: string; actions: Set<RegistryAction> }> = [];
  for (const scope of scopes.flatMap((s) => s.split(' ')).filter(Boolean)) {
    const first = scope.indexOf(':');
    const last = scope.lastIndexOf(':');
    if (first < 0 || last <= first || scope.slice(0, first) !== 'repository') continue;
    const name = scope.slice(first + 1, last);
    const requested = scope.slice(last + 1).split(',');
    const actions = new Set<RegistryAction>(
      requested.includes('*')
        ? ['pull', 'push', 'delete']
        : (requested.filter((a) => ACTIONS.has(a)) as RegistryAction[]),
    );
    result.push({ name, actions });
  }
  return result;
}

/**
 * GET /v2/token (and POST, the OAuth2 password form): Basic auth with any user name and a Benchline
 * API token as the password, or nothing for anonymous pulls. Grants what the caller may do of what it asks.
 */
export async function issueToken(ctx: RegistryContext, req: IncomingMessage, res: ServerResponse, url: URL) {
  const ip = clientIp(req, ctx.config.trustedProxies);
  const now = ctx.clock.now();
  let secret: string | null = null;
  const scopes = url.searchParams.getAll('scope');
  if (req.method === 'POST') {
    const form = new URLSearchParams((await readBody(req, 64 * 1024, 'the token request')).toString('utf8'));
    scopes.push(...form.getAll('scope'));
    secret = form.get('password') ?? form.get('refresh_token');
  }
  const auth = parseAuthorization(req.headers.authorization);
  if (auth) secret = auth.scheme === 'basic' ? auth.password : auth.token;
  let viewer: Viewer | null;
  try {
    viewer = await authenticateThrottled(ctx.db, ctx.config, secret, ip, now);
  } catch (error) {
    if (!(error instanceof BenchlineError) || error.code !== 'RATE_LIMITED') throw error;
    throw registryError('TOO_MANY_REQUESTS', error.message, null, {
      headers: { 'retry-after': String(error.details.retryAfter) },
    });
  }
  if (!viewer) {
    throw registryError(
      'UNAUTHORIZED',
      'the credentials are not valid: log in with any user name and a Benchline API token as the password',
    );
  }
  const access: RegistryGrant[] = [];
  for (const scope of parseScopes(scopes)) {
    let permitted: RegistryAction[];
    try {
      permitted = (await repositoryAccess(ctx, viewer, scope.name)).actions;
    } catch {
      continue;
    }
    const actions = permitted.filter((a) => scope.actions.has(a));
    if (actions.length) access.push({ type: 'repository', name: scope.name, actions });
  }
  const subject = viewer.kind === 'user' ? viewer.userId : viewer.kind;
  const seconds = ctx.config.registryTokenSeconds;
  const token = await ctx.tokens.sign(subject, access, seconds, now);
  sendJson(
    res,
    200,
    { token, access_token: token, expires_in: seconds, issued_at: now.toISOString() },
    { 'cache-control': 'no-store' },
  );
}
