import type { Database } from '../db/database.js';
import { badInput, notFound } from '../errors.js';
import { noteSeen, recordCall } from '../runners/last-seen.js';
import { hashSecret, newSecret, secretKind } from './secret.js';
import { checkName } from './slug.js';
import type { Viewer } from './viewer.js';

export interface NewToken {
  id: string;
  /** Shown once; only its hash is stored. */
  secret: string;
}

export async function createToken(
  db: Database,
  userId: string,
  name: string,
  expiresAt: Date | null,
  now: Date,
): Promise<NewToken> {
  checkName(name);
  if (expiresAt && expiresAt <= now) throw badInput('expiresAt must be in the future', 'expiresAt');
  const secret = newSecret('user');
  const row = await db
    .insertInto('api_token')
    .values({
      user_id: userId,
      name,
      secret_hash: hashSecret(secret),
      prefix: secret.slice(0, 8),
      expires_at: expiresAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, secret };
}

export async function revokeToken(db: Database, userId: string, tokenId: string, now: Date): Promise<void> {
  const result = await db
    .updateTable('api_token')
    .set({ revoked_at: now })
    .where('id', '=', tokenId)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (result.numUpdatedRows === 0n) {
    const exists = await db
      .selectFrom('api_token')
      .select('id')
      .where('id', '=', tokenId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    if (!exists) throw notFound('token');
  }
}

/**
 * Runner key hash → runner id, remembered per process for RUNNER_KEY_TTL_MS. A runner calls several
 * times per job; this spares each call its lookup. The price: archiving a runner or rotating its
 * key takes effect on a server within that TTL instead of at once (an unknown key is never cached,
 * and a runner still acts only on jobs it claimed). User tokens are not cached: revoking one is
 * immediate.
 */
const RUNNER_KEY_TTL_MS = 3_000;
const RUNNER_KEY_CACHE_SIZE = 1_000;
const runnerKeys = new Map<string, { runnerId: string; until: number }>();

function cachedRunner(hash: string, now: number): string | undefined {
  const hit = runnerKeys.get(hash);
  if (!hit) return undefined;
  if (hit.until > now) return hit.runnerId;
  runnerKeys.delete(hash);
  return undefined;
}

function rememberRunner(hash: string, runnerId: string, now: number): void {
  // Map keeps insertion order: the first key is the oldest entry.
  if (runnerKeys.size >= RUNNER_KEY_CACHE_SIZE) runnerKeys.delete(runnerKeys.keys().next().value!);
  runnerKeys.set(hash, { runnerId, until: now + RUNNER_KEY_TTL_MS });
}

/** Resolves a bearer secret (user token or runner key) to the caller; unknown or expired secrets give null. */
export async function authenticate(
  db: Database,
  secret: string | null,
  ip: string,
  now: Date,
): Promise<Viewer | null> {
  if (!secret) return { kind: 'anonymous', ip };
  const kind = secretKind(secret);
  const hash = hashSecret(secret);
  if (kind === 'user') {
    const row = await db
      .selectFrom('api_token')
      .innerJoin('user', 'user.id', 'api_token.user_id')
      .select(['api_token.id as tokenId', 'user.id as userId', 'user.is_admin', 'api_token.expires_at'])
      .where('api_token.secret_hash', '=', hash)
      .where('api_token.revoked_at', 'is', null)
      .executeTakeFirst();
    if (!row || (row.expires_at && row.expires_at <= now)) return null;
    return { kind: 'user', ip, userId: row.userId, isAdmin: row.is_admin, tokenId: row.tokenId };
  }
  if (kind === 'runner') {
    // Wall time, not the injectable clock: the TTL bounds how stale this process's answer may be.
    const cached = cachedRunner(hash, Date.now());
    if (cached) {
      noteSeen(cached, now);
      return { kind: 'runner', ip, runnerId: cached };
    }
    const row = await db
      .selectFrom('runner')
      .select(['id', 'last_seen_at'])
      .where('key_hash', '=', hash)
      .where('archived_at', 'is', null)
      .executeTakeFirst();
    if (!row) return null;
    await recordCall(db, row.id, row.last_seen_at, now);
    rememberRunner(hash, row.id, Date.now());
    return { kind: 'runner', ip, runnerId: row.id };
  }
  return null;
}
