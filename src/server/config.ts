import { homedir } from 'node:os';
import { join } from 'node:path';
import { type OrganizationPlanSetting, parsePlan } from './accounts/plan.js';
import { parseNatsUrl } from './events/nats-url.js';
import { parseBlobStoreUrl } from './registry/blob-store-url.js';
import type { S3BlobStoreOptions } from './registry/s3-blob-store.js';

export interface TierSettings {
  /** Jobs in flight (CLAIMED or RUNNING) per organization, or per source IP when unclaimed; null: no limit. */
  concurrency: number | null;
  /** Job timeout in seconds when the run asks for none. */
  defaultTimeout: number;
  /** The most a run may ask for. */
  maxTimeout: number;
}

export type Tier = 'UNCLAIMED' | 'FREE' | 'TEAM' | 'ENTERPRISE';

export interface Config {
  host: string;
  port: number;
  /** How runners and registry clients reach this server; the registry host in image references. */
  publicUrl: string;
  /** With no database URL the server runs an embedded PostgreSQL under dataDir. */
  databaseUrl: string | null;
  dataDir: string;
  embeddedPostgresPort: number;
  blobDir: string;
  /** Object storage for registry blobs and archived logs (BENCHLINE_BLOB_STORE); null: the disk under blobDir. */
  blobStore: S3BlobStoreOptions | null;
  /** How long a pre-signed blob URL handed to a client stays valid. */
  blobRedirectSeconds: number;
  /** Finished jobs' logs move to the blob store this long after the job ended; null: never. */
  logArchiveAfterSeconds: number | null;
  consoleDir: string | null;
  logLevel: string;
  signupOpen: boolean;
  trustedProxies: string[];
  heartbeatTimeoutSeconds: number;
  jobGraceSeconds: number;
  sweepIntervalMs: number;
  /**
   * How often a server writes the heartbeats it acknowledged from memory, in one statement for all
   * its held jobs (queue/heartbeat-batch.ts); 0: every heartbeat is its own statement, as before.
   */
  heartbeatFlushMs: number;
  tiers: Record<Tier, TierSettings>;
  /** The plan a new organization starts on; a self-hosted server may give everyone TEAM or more. */
  defaultPlan: OrganizationPlanSetting;
  rateLimitPerMinute: { anonymous: number; authenticated: number };
  /** Unknown, expired or revoked secrets accepted per source address per minute before it is throttled. */
  authFailuresPerMinute: number;
  registryTokenSeconds: number;
  /** Benchmarks per report and measures per benchmark (docs/results.md). */
  outputLimits: { benchmarks: number; measuresPerBenchmark: number };
  /** Attempts at processing a completed job before it ends FAILED, and the first retry's delay. */
  processingAttempts: number;
  processingRetrySeconds: number;
  /** How long live streams of a job failed by a missed heartbeat wait for its late completion. */
  lateCompletionGraceSeconds: number;
  /** A nats:// URL (docs/operations.md, "Event bus"); null: PostgreSQL NOTIFY on the database. */
  eventBus: string | null;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name}=${raw} is not valid: give a whole number from ${min} to ${max}`);
  }
  return value;
}

function optionalLimit(env: Env, name: string, fallback: number | null): number | null {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'unlimited') return null;
  return integer(env, name, 0, 1);
}

function boolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(`${name}=${env[name]} is not valid: use true or false`);
}

function eventBus(env: Env): string | null {
  const raw = env.BENCHLINE_EVENT_BUS;
  if (raw === undefined || raw === '' || raw === 'postgres') return null;
  try {
    parseNatsUrl(raw);
  } catch (error) {
    throw new ConfigError(
      `BENCHLINE_EVENT_BUS=${raw} is not valid (${(error as Error).message}): give nats://host:4222, or postgres (the default) for NOTIFY`,
    );
  }
  return raw;
}

function blobStore(env: Env): S3BlobStoreOptions | null {
  try {
    return parseBlobStoreUrl(env.BENCHLINE_BLOB_STORE, env);
  } catch (error) {
    // Someone may have put keys in the URL (the parser refuses that); they must not reach a log.
    const shown = (env.BENCHLINE_BLOB_STORE ?? '').replace(/\/\/[^/@?#]*@/, '//…@');
    throw new ConfigError(
      `BENCHLINE_BLOB_STORE=${shown} is not valid (${(error as Error).message}): give s3://bucket?endpoint=https://…&region=…, or disk (the default)`,
    );
  }
}

export function defaultDataDir(env: Env = process.env): string {
  // As root the embedded PostgreSQL runs as its own user, which cannot enter /root: use the
  // system location a service would.
  if (!env.XDG_DATA_HOME && process.getuid?.() === 0) return '/var/lib/benchline';
  const base = env.XDG_DATA_HOME || join(homedir(), '.local', 'share');
  return join(base, 'benchline');
}

/** Reads and validates the configuration once, at start; every problem names the variable to fix. */
export function loadConfig(env: Env = process.env, overrides: Partial<Config> = {}): Config {
  const port = integer(env, 'PORT', 8080, 0, 65535);
  const host = env.HOST || '127.0.0.1';
  const dataDir = env.BENCHLINE_DATA_DIR || defaultDataDir(env);
  const databaseUrl = env.DATABASE_URL || null;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError(
      'DATABASE_URL must be a postgres:// URL (or unset it to use the embedded database)',
    );
  }
  const publicUrl = env.BENCHLINE_PUBLIC_URL || `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
  try {
    new URL(publicUrl);
  } catch {
    throw new ConfigError(
      `BENCHLINE_PUBLIC_URL=${publicUrl} is not a URL: give e.g. https://bench.example.com`,
    );
  }
  const defaultPlan = parsePlan(env.BENCHLINE_DEFAULT_PLAN || 'NONE');
  if (!defaultPlan) {
    throw new ConfigError(
      `BENCHLINE_DEFAULT_PLAN=${env.BENCHLINE_DEFAULT_PLAN} is not valid: give NONE, METERED or LICENSED, optionally with a level (FREE, PRO, TEAM, ENTERPRISE), e.g. LICENSED:ENTERPRISE`,
    );
  }
  const unclaimedMax = integer(env, 'BENCHLINE_UNCLAIMED_TIMEOUT', 60, 1);
  const freeMax = integer(env, 'BENCHLINE_FREE_TIMEOUT', 300, 1);
  const config: Config = {
    host,
    port,
    publicUrl: publicUrl.replace(/\/$/, ''),
    databaseUrl,
    dataDir,
    embeddedPostgresPort: integer(env, 'BENCHLINE_EMBEDDED_PG_PORT', 5499, 1, 65535),
    blobDir: env.BENCHLINE_BLOB_DIR || join(dataDir, 'blobs'),
    blobStore: blobStore(env),
    blobRedirectSeconds: integer(env, 'BENCHLINE_BLOB_REDIRECT_SECONDS', 300, 10, 7 * 24 * 3600),
    logArchiveAfterSeconds:
      env.BENCHLINE_LOG_ARCHIVE_AFTER === 'never'
        ? null
        : integer(env, 'BENCHLINE_LOG_ARCHIVE_AFTER', 24 * 3600, 0),
    consoleDir: env.BENCHLINE_CONSOLE_DIR || null,
    logLevel: env.LOG_LEVEL || 'info',
    signupOpen: boolean(env, 'BENCHLINE_SIGNUP_OPEN', true),
    trustedProxies: (env.BENCHLINE_TRUSTED_PROXIES || '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    heartbeatTimeoutSeconds: integer(env, 'BENCHLINE_HEARTBEAT_TIMEOUT', 30, 1),
    jobGraceSeconds: integer(env, 'BENCHLINE_JOB_GRACE', 60, 0),
    sweepIntervalMs: integer(env, 'BENCHLINE_SWEEP_INTERVAL_MS', 1000, 10),
    heartbeatFlushMs: integer(env, 'BENCHLINE_HEARTBEAT_FLUSH_MS', 1000, 0),
    tiers: {
      UNCLAIMED: {
        concurrency: optionalLimit(env, 'BENCHLINE_UNCLAIMED_CONCURRENCY', 1),
        defaultTimeout: unclaimedMax,
        maxTimeout: unclaimedMax,
      },
      FREE: {
        concurrency: optionalLimit(env, 'BENCHLINE_FREE_CONCURRENCY', 1),
        defaultTimeout: freeMax,
        maxTimeout: freeMax,
      },
      TEAM: {
        concurrency: optionalLimit(env, 'BENCHLINE_TEAM_CONCURRENCY', 8),
        defaultTimeout: 3600,
        maxTimeout: integer(env, 'BENCHLINE_TEAM_TIMEOUT', 3600 * 6, 1),
      },
      ENTERPRISE: {
        concurrency: optionalLimit(env, 'BENCHLINE_ENTERPRISE_CONCURRENCY', null),
        defaultTimeout: 3600,
        maxTimeout: integer(env, 'BENCHLINE_ENTERPRISE_TIMEOUT', 3600 * 24, 1),
      },
    },
    defaultPlan,
    rateLimitPerMinute: {
      anonymous: integer(env, 'BENCHLINE_RATE_LIMIT_ANONYMOUS', 120, 1),
      authenticated: integer(env, 'BENCHLINE_RATE_LIMIT_TOKEN', 6000, 1),
    },
    registryTokenSeconds: integer(env, 'BENCHLINE_REGISTRY_TOKEN_SECONDS', 900, 10),
    authFailuresPerMinute: integer(env, 'BENCHLINE_AUTH_FAILURES_PER_MINUTE', 10, 1),
    outputLimits: {
      benchmarks: integer(env, 'BENCHLINE_MAX_BENCHMARKS', 10_000, 1),
      measuresPerBenchmark: integer(env, 'BENCHLINE_MAX_MEASURES', 16, 1),
    },
    processingAttempts: integer(env, 'BENCHLINE_PROCESSING_ATTEMPTS', 5, 1, 100),
    processingRetrySeconds: integer(env, 'BENCHLINE_PROCESSING_RETRY_SECONDS', 10, 0, 3600),
    lateCompletionGraceSeconds: integer(env, 'BENCHLINE_LATE_COMPLETION_GRACE', 300, 0),
    eventBus: eventBus(env),
    ...overrides,
  };
  // A crash loses at most one flush interval of heartbeats: it must stay well inside the timeout
  // the sweeper judges them by. (The default interval is shortened to fit a short timeout.)
  if (
    env.BENCHLINE_HEARTBEAT_FLUSH_MS &&
    config.heartbeatFlushMs * 3 > config.heartbeatTimeoutSeconds * 1000
  ) {
    throw new ConfigError(
      `BENCHLINE_HEARTBEAT_FLUSH_MS=${config.heartbeatFlushMs} is too long for a heartbeat timeout of ${config.heartbeatTimeoutSeconds} s: give at most a third of it`,
    );
  }
  return config;
}
