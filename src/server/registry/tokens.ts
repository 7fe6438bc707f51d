import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Database } from '../db/database.js';

export type RegistryAction = 'pull' | 'push' | 'delete';

export interface RegistryGrant {
  type: 'repository';
  name: string;
  actions: RegistryAction[];
}

export interface RegistryClaims {
  iss: 'benchline';
  aud: 'benchline';
  /** The user id, `anonymous`, or `job` for pull tokens handed to runners. */
  sub: string;
  iat: number;
  exp: number;
  access: RegistryGrant[];
}

const b64 = (value: Buffer | string) => Buffer.from(value).toString('base64url');
const HEADER = b64(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));

/**
 * Short-lived, scoped bearer tokens in JWT form (HS256), signed with a secret kept in the
 * database so that every server process on it accepts every other's tokens.
 */
export class RegistryTokens {
  #secret: Promise<Buffer> | undefined;

  constructor(readonly db: Database) {}

  #key(): Promise<Buffer> {
    this.#secret ??= (async () => {
      await this.db
        .insertInto('registry_secret')
        .values({ id: 1, secret: randomBytes(32) })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
      const row = await this.db
        .selectFrom('registry_secret')
        .select('secret')
        .where('id', '=', 1)
        .executeTakeFirstOrThrow();
      return row.secret;
    })().catch((error) => {
      this.#secret = undefined;
      throw error;
    });
    return this.#secret;
  }

  async sign(subject: string, access: RegistryGrant[], seconds: number, now: Date): Promise<string> {
    const iat = Math.floor(now.getTime() / 1000);
    const claims: RegistryClaims = {
      iss: 'benchline',
      aud: 'benchline',
      sub: subject,
      iat,
      exp: iat + seconds,
      access,
    };
    const body = `${HEADER}.${b64(JSON.stringify(claims))}`;
    const signature = createHmac('sha256', await this.#key())
      .update(body)
      .digest('base64url');
    return `${body}.${signature}`;
  }

  /** The token's claims, or null when it is malformed, forged or expired. */
  async verify(token: string, now: Date): Promise<RegistryClaims | null> {
    const parts = token.split('.');
    if (parts.length !== 3 || parts[0] !== HEADER) return null;
    const expected = createHmac('sha256', await this.#key())
      .update(`${parts[0]}.${parts[1]}`)
      .digest();
    const given = Buffer.from(parts[2], 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    let claims: RegistryClaims;
    try {
      claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    } catch {
      return null;
    }
    if (typeof claims.exp !== 'number' || claims.exp * 1000 <= now.getTime()) return null;
    if (!Array.isArray(claims.access)) return null;
    return claims;
  }
}

export function allows(claims: RegistryClaims, repository: string, action: RegistryAction): boolean {
  return claims.access.some(
    (grant) => grant.type === 'repository' && grant.name === repository && grant.actions.includes(action),
  );
}
