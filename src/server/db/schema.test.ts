import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/helpers/database.js';

const { url } = await createTestDatabase();

describe('Database types', () => {
  it('match the migrated schema (regenerate with scripts/db-codegen.sh when they do not)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'benchline-dbtypes-'));
    try {
      const out = join(dir, 'schema.ts');
      execFileSync('bash', ['scripts/db-codegen.sh'], {
        env: { ...process.env, DATABASE_URL: url, OUT: out },
        stdio: 'pipe',
      });
      expect(readFileSync(out, 'utf8')).toBe(readFileSync(new URL('./schema.ts', import.meta.url), 'utf8'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
