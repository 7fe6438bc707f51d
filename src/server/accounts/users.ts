import { sql } from 'kysely';
import type { Database } from '../db/database.js';
import { fromDatabaseError } from '../errors.js';
import { checkName, checkSlug, slugify } from './slug.js';
import { createToken, type NewToken } from './tokens.js';

export interface NewUserInput {
  name: string;
  slug?: string | null;
  email?: string | null;
  isAdmin?: boolean;
}

export async function createUser(db: Database, input: NewUserInput): Promise<{ id: string; slug: string }> {
  const name = checkName(input.name);
  const slug = checkSlug(input.slug ?? slugify(name));
  try {
    return await db
      .insertInto('user')
      .values({ name, slug, email: input.email ?? null, is_admin: input.isAdmin ?? false })
      .returning(['id', 'slug'])
      .executeTakeFirstOrThrow();
  } catch (error) {
    throw fromDatabaseError(error, 'user');
  }
}

/** A new user with a first API token, as signup and `benchline admin` give it. */
export async function createUserWithToken(
  db: Database,
  input: NewUserInput,
  now: Date,
): Promise<{ userId: string; token: NewToken }> {
  return db.transaction().execute(async (trx) => {
    const user = await createUser(trx, input);
    const token = await createToken(trx, user.id, 'first token', null, now);
    return { userId: user.id, token };
  });
}

/**
 * On the first start there is no admin: create one and hand back a token to print once.
 * Returns null when an admin exists. An advisory lock keeps two servers from both doing it.
 */
export async function bootstrapAdmin(db: Database, now: Date): Promise<NewToken | null> {
  return db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(7346001)`.execute(trx);
    const admin = await trx.selectFrom('user').select('id').where('is_admin', '=', true).executeTakeFirst();
    if (admin) return null;
    const user = await createUser(trx, { name: 'admin', slug: 'admin', isAdmin: true });
    return createToken(trx, user.id, 'bootstrap', null, now);
  });
}

/** Another admin token, for `benchline admin token`. */
export async function createAdminToken(db: Database, now: Date): Promise<NewToken> {
  const admin = await db
    .selectFrom('user')
    .select('id')
    .where('is_admin', '=', true)
    .orderBy('created_at')
    .executeTakeFirst();
  if (!admin) {
    const token = await bootstrapAdmin(db, now);
    if (token) return token;
    return createAdminToken(db, now);
  }
  return createToken(db, admin.id, `admin ${now.toISOString()}`, null, now);
}
