import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import type { Logger } from '../logger.js';
import type { BlobStore } from './blob-store.js';
import type { RegistryTokens } from './tokens.js';

export interface RegistryLimits {
  /** Manifests larger than this are refused (SIZE_INVALID). */
  maxManifestBytes: number;
  /** Upload sessions untouched for this long are removed. */
  uploadTtlSeconds: number;
  /** Blobs no manifest references are kept this long after their last push, mount or HEAD. */
  blobGraceSeconds: number;
  /** How often garbage collection runs. */
  gcIntervalMs: number;
}

export const DEFAULT_LIMITS: RegistryLimits = {
  maxManifestBytes: 4 * 1024 * 1024,
  uploadTtlSeconds: 24 * 3600,
  blobGraceSeconds: 3600,
  gcIntervalMs: 10 * 60 * 1000,
};

/** What every registry handler works with; built once when the server starts. */
export interface RegistryContext {
  db: Database;
  /** Read `config.publicUrl` at use: tests learn the real port only after the server listens. */
  config: Config;
  clock: Clock;
  log: Logger;
  store: BlobStore;
  tokens: RegistryTokens;
  limits: RegistryLimits;
}
