import { type Kysely, sql } from 'kysely';

// OCI registry metadata. Blob bytes live in the blob store; these rows say what exists and who may see it.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE registry_repository (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      project_id uuid NOT NULL REFERENCES project(id) ON DELETE CASCADE,
      name text NOT NULL UNIQUE CHECK (name ~ '^[a-z0-9]+([._-][a-z0-9]+)*(/[a-z0-9]+([._-][a-z0-9]+)*)*$'),
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX registry_repository_project ON registry_repository (project_id);

    CREATE TABLE registry_blob (
      digest text PRIMARY KEY CHECK (digest ~ '^sha256:[0-9a-f]{64}$'),
      size bigint NOT NULL CHECK (size >= 0),
      created_at timestamptz NOT NULL DEFAULT now(),
      last_accessed_at timestamptz NOT NULL DEFAULT now()
    );

    -- A blob is visible in a repository once pushed or mounted there.
    CREATE TABLE registry_repository_blob (
      repository_id uuid NOT NULL REFERENCES registry_repository(id) ON DELETE CASCADE,
      digest text NOT NULL REFERENCES registry_blob(digest) ON DELETE CASCADE,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (repository_id, digest)
    );
    CREATE INDEX registry_repository_blob_digest ON registry_repository_blob (digest);

    CREATE TABLE registry_manifest (
      repository_id uuid NOT NULL REFERENCES registry_repository(id) ON DELETE CASCADE,
      digest text NOT NULL CHECK (digest ~ '^sha256:[0-9a-f]{64}$'),
      media_type text NOT NULL,
      artifact_type text,
      subject_digest text,
      size integer NOT NULL CHECK (size >= 0),
      content bytea NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (repository_id, digest)
    );
    CREATE INDEX registry_manifest_subject ON registry_manifest (repository_id, subject_digest) WHERE subject_digest IS NOT NULL;

    -- What a manifest points at (layers, config, child manifests): garbage collection keeps these.
    CREATE TABLE registry_manifest_reference (
      repository_id uuid NOT NULL,
      manifest_digest text NOT NULL,
      digest text NOT NULL,
      PRIMARY KEY (repository_id, manifest_digest, digest),
      FOREIGN KEY (repository_id, manifest_digest) REFERENCES registry_manifest(repository_id, digest) ON DELETE CASCADE
    );
    CREATE INDEX registry_manifest_reference_digest ON registry_manifest_reference (digest);

    CREATE TABLE registry_tag (
      repository_id uuid NOT NULL REFERENCES registry_repository(id) ON DELETE CASCADE,
      name text NOT NULL CHECK (name ~ '^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$'),
      manifest_digest text NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (repository_id, name),
      FOREIGN KEY (repository_id, manifest_digest) REFERENCES registry_manifest(repository_id, digest) ON DELETE CASCADE
    );

    CREATE TABLE registry_upload (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      repository_id uuid NOT NULL REFERENCES registry_repository(id) ON DELETE CASCADE,
      size bigint NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX registry_upload_updated ON registry_upload (updated_at);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP TABLE registry_upload; DROP TABLE registry_tag; DROP TABLE registry_manifest_reference;
    DROP TABLE registry_manifest; DROP TABLE registry_repository_blob; DROP TABLE registry_blob; DROP TABLE registry_repository;
  `.execute(db);
}
