import { type Kysely, sql } from 'kysely';

// The key that signs registry bearer tokens: one row shared by every server process on this database,
// so a token issued by one process is accepted by all of them.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE registry_secret (
      id smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
      secret bytea NOT NULL CHECK (length(secret) >= 32),
      created_at timestamptz NOT NULL DEFAULT now()
    );
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE registry_secret`.execute(db);
}
