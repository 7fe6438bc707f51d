import { type Kysely, sql } from 'kysely';

// Server-wide hardware specs and the runners that serve them.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE spec (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 256),
      slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,63}$'),
      os text NOT NULL DEFAULT 'linux' CHECK (length(os) BETWEEN 1 AND 64),
      architecture text NOT NULL DEFAULT 'x86_64' CHECK (length(architecture) BETWEEN 1 AND 64),
      cpu integer NOT NULL CHECK (cpu > 0),
      memory bigint NOT NULL CHECK (memory > 0),
      disk bigint NOT NULL CHECK (disk > 0),
      network boolean NOT NULL DEFAULT false,
      is_default timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      archived_at timestamptz
    );
    -- At most one default spec, enforced by the database itself.
    CREATE UNIQUE INDEX spec_single_default ON spec ((true)) WHERE is_default IS NOT NULL;

    CREATE TABLE runner (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 256),
      slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,63}$'),
      key_hash text NOT NULL UNIQUE,
      archived_at timestamptz,
      last_seen_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE runner_spec (
      runner_id uuid NOT NULL REFERENCES runner(id) ON DELETE CASCADE,
      spec_id uuid NOT NULL REFERENCES spec(id) ON DELETE CASCADE,
      PRIMARY KEY (runner_id, spec_id)
    );
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE runner_spec; DROP TABLE runner; DROP TABLE spec;`.execute(db);
}
