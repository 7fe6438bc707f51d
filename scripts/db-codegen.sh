#!/usr/bin/env bash
# Regenerates src/server/db/schema.ts from a freshly migrated database: DATABASE_URL points at it.
set -euo pipefail
npx kysely-codegen --dialect postgres --url "$DATABASE_URL" --out-file "${OUT:-src/server/db/schema.ts}" \
  --exclude-pattern 'kysely_*' --type-mapping '{"int8":"number"}' --log-level error
