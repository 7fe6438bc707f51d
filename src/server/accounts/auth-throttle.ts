import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import { BenchlineError } from '../errors.js';
import { RateLimiter } from '../http/rate-limit.js';
import { authenticate } from './tokens.js';
import type { Viewer } from './viewer.js';

/**
 * Failed credentials per source address, per server: one limiter per database handle, so the
 * GraphQL endpoint and the registry's /v2/token (which share it) count the same failures.
 */
const failures = new WeakMap<Database, RateLimiter>();

/** RATE_LIMITED with the seconds to wait, which the HTTP layers answer as 429 + Retry-After. */
export function rateLimited(message: string, retryAfterSeconds: number): BenchlineError {
  return new BenchlineError('RATE_LIMITED', message, { retryAfter: retryAfterSeconds });
}

/**
 * `authenticate`, refused for an address that sent too many unknown, expired or revoked secrets in
 * the last minute (config.authFailuresPerMinute): guessing tokens or registry passwords is slowed
 * to that rate, and while it is throttled a secret is not even looked up. Anonymous calls (no
 * secret) are never counted.
 */
export async function authenticateThrottled(
  db: Database,
  config: Config,
  secret: string | null,
  ip: string,
  now: Date,
): Promise<Viewer | null> {
  if (!secret) return authenticate(db, secret, ip, now);
  let limiter = failures.get(db);
  if (!limiter) {
    limiter = new RateLimiter();
    failures.set(db, limiter);
  }
  const key = `auth-failure:${ip}`;
  const perMinute = config.authFailuresPerMinute;
  const wait = limiter.retryAfterSeconds(key, perMinute);
  if (wait > 0) {
    throw rateLimited(
      `too many failed sign-ins from your address; wait ${wait} s (limit ${perMinute}/min)`,
      wait,
    );
  }
  const viewer = await authenticate(db, secret, ip, now);
  if (!viewer) limiter.take(key, perMinute);
  return viewer;
}
