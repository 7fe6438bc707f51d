import { type Kysely, sql } from 'kysely';

// Identities: users, organizations, memberships and API tokens. Secrets are stored only as hashes.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE "user" (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 256),
      slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,63}$'),
      email text UNIQUE CHECK (length(email) <= 320),
      is_admin boolean NOT NULL DEFAULT false,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE organization (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 256),
      slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,63}$'),
      claimed_at timestamptz,
      plan text NOT NULL DEFAULT 'NONE' CHECK (plan IN ('NONE', 'METERED', 'LICENSED')),
      plan_level text NOT NULL DEFAULT 'FREE' CHECK (plan_level IN ('FREE', 'PRO', 'TEAM', 'ENTERPRISE')),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      archived_at timestamptz
    );

    CREATE TABLE membership (
      organization_id uuid NOT NULL REFERENCES organization(id) ON DELETE CASCADE,
      user_id uuid NOT NULL REFERENCES "user"(id) ON DELETE CASCADE,
      role text NOT NULL CHECK (role IN ('OWNER', 'MEMBER', 'VIEWER')),
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (organization_id, user_id)
    );
    CREATE INDEX membership_user ON membership (user_id);

    CREATE TABLE api_token (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      user_id uuid NOT NULL REFERENCES "user"(id) ON DELETE CASCADE,
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 256),
      secret_hash text NOT NULL UNIQUE,
      prefix text NOT NULL,
      expires_at timestamptz,
      revoked_at timestamptz,
      last_used_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX api_token_user ON api_token (user_id);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE api_token; DROP TABLE membership; DROP TABLE organization; DROP TABLE "user";`.execute(
    db,
  );
}
