import { sql } from 'kysely';
import type { Database } from '../db/database.js';
import { fromDatabaseError } from '../errors.js';
import type { OrganizationPlanSetting } from './plan.js';
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

/** What the first start makes besides the admin, so the first project and runner need no setup. */
export const FIRST_SPEC = { name: 'default', cpu: 1, memory: 2 ** 30, disk: 10 * 2 ** 30 } as const;

/**
 * On the first start there is no admin: create one, its personal organization (slug `admin`, on
 * the server's default plan) and a default spec when there is none, and hand back a token to
 * print once. Returns null when an admin exists. An advisory lock keeps two servers from both doing it.
 */
export async function bootstrapAdmin(
  db: Database,
  now: Date,
  plan?: OrganizationPlanSetting,
): Promise<NewToken | null> {
  return db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(7346001)`.execute(trx);
    const admin = await trx.selectFrom('user').select('id').where('is_admin', '=', true).executeTakeFirst();
    if (admin) return null;
    const user = await createUser(trx, { name: 'admin', slug: 'admin', isAdmin: true });
    const taken = await trx
      .selectFrom('organization')
      .select('id')
      .where('slug', '=', 'admin')
      .executeTakeFirst();
    if (!taken) {
      // Inline, not createOrganization/createSpec: they open their own transactions and this is one.
      const org = await trx
        .insertInto('organization')
        .values({
          name: 'admin',
          slug: 'admin',
          claimed_at: now,
          ...(plan && { plan: plan.plan, plan_level: plan.level }),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('membership')
        .values({ organization_id: org.id, user_id: user.id, role: 'OWNER' })
        .execute();
    }
    const spec = await trx.selectFrom('spec').select('id').executeTakeFirst();
    if (!spec) {
      await trx
        .insertInto('spec')
        .values({
          ...FIRST_SPEC,
          slug: FIRST_SPEC.name,
          os: 'linux',
          architecture: 'x86_64',
          is_default: now,
        })
        .execute();
    }
    return createToken(trx, user.id, 'bootstrap', null, now);
  });
}

/** Another admin token, for `benchline admin token`. */
export async function createAdminToken(
  db: Database,
  now: Date,
  plan?: OrganizationPlanSetting,
): Promise<NewToken> {
  const admin = await db
    .selectFrom('user')
    .select('id')
    .where('is_admin', '=', true)
    .orderBy('created_at')
    .executeTakeFirst();
  if (!admin) {
    const token = await bootstrapAdmin(db, now, plan);
    if (token) return token;
    return createAdminToken(db, now, plan);
  }
  return createToken(db, admin.id, `admin ${now.toISOString()}`, null, now);
}
