import { type Kysely, sql } from 'kysely';

// Projects and what lives in them: branches, testbeds, measures, benchmarks.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE project (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES organization(id) ON DELETE CASCADE,
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 256),
      -- Project slugs are global: createRun and registry repository names address a project by slug alone.
      slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,63}$'),
      visibility text NOT NULL DEFAULT 'PUBLIC' CHECK (visibility IN ('PUBLIC', 'PRIVATE')),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      archived_at timestamptz
    );
    CREATE INDEX project_organization ON project (organization_id);

    CREATE TABLE branch (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      project_id uuid NOT NULL REFERENCES project(id) ON DELETE CASCADE,
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 256),
      slug text NOT NULL CHECK (slug ~ '^[a-z0-9][a-z0-9._-]{0,127}$'),
      -- Start point: a pull-request branch sees its base's history up to where it branched.
      start_point_branch_id uuid REFERENCES branch(id) ON DELETE SET NULL,
      start_point_hash text CHECK (start_point_hash ~ '^[0-9a-f]{7,64}$'),
      start_point_time timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      archived_at timestamptz,
      UNIQUE (project_id, slug),
      UNIQUE (project_id, name),
      CHECK (start_point_branch_id IS NULL OR start_point_branch_id <> id)
    );

    CREATE TABLE testbed (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      project_id uuid NOT NULL REFERENCES project(id) ON DELETE CASCADE,
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 256),
      slug text NOT NULL CHECK (slug ~ '^[a-z0-9][a-z0-9._-]{0,127}$'),
      spec_id uuid REFERENCES spec(id) ON DELETE SET NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      archived_at timestamptz,
      UNIQUE (project_id, slug),
      UNIQUE (project_id, name)
    );

    CREATE TABLE measure (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      project_id uuid NOT NULL REFERENCES project(id) ON DELETE CASCADE,
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 256),
      slug text NOT NULL CHECK (slug ~ '^[a-z0-9][a-z0-9._-]{0,127}$'),
      units text NOT NULL CHECK (length(units) BETWEEN 1 AND 64),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      archived_at timestamptz,
      UNIQUE (project_id, slug),
      UNIQUE (project_id, name)
    );

    CREATE TABLE benchmark (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      project_id uuid NOT NULL REFERENCES project(id) ON DELETE CASCADE,
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 1024),
      slug text NOT NULL CHECK (length(slug) BETWEEN 1 AND 1100),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      archived_at timestamptz,
      UNIQUE (project_id, slug),
      UNIQUE (project_id, name)
    );
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE benchmark; DROP TABLE measure; DROP TABLE testbed; DROP TABLE branch; DROP TABLE project;`.execute(
    db,
  );
}
