import type { Selectable } from 'kysely';
import type { Config, Tier } from '../config.js';
import type { Database } from '../db/database.js';
import type { Job } from '../db/schema.js';
import { BenchlineError, badInput, notFound } from '../errors.js';
import type { BusEvent } from '../events/bus.js';
import type { Services } from '../graphql/services.js';
import type { ClaimWaiters, Reservation } from './claim-waiters.js';
import { specFromJson } from './claimed-spec.js';
import { jobEvent } from './events.js';
import { HandOff } from './hand-off.js';
import { insertJob } from './insert-job.js';
import { registryHost, resolveImage } from './resolve-image.js';
import { clampTimeout, TIER_PRIORITY } from './tier.js';

export interface CreateJobInput {
  reportId: string;
  projectId: string;
  organizationId: string;
  testbedId: string;
  image: string;
  entrypoint: string[] | null;
  cmd: string[] | null;
  env: Record<string, string>;
  timeoutSeconds: number | null;
  spec: string | null;
  filePaths: string[];
  iterations: number;
  sourceIp: string;
}

export interface CreateJobDeps {
  config: Config;
  services: Services;
  now: Date;
  /** The bus's SQL channel (EventBus.sqlChannel). */
  channel?: string;
  /** This server's long-polls: the job may be claimed for one that sleeps and handed over at commit. */
  waiters?: ClaimWaiters;
}

const TIERS = Object.keys(TIER_PRIORITY) as Tier[];
const MAX_ITERATIONS = 100;
const MAX_FILE_PATHS = 255;
// The env travels in the job row, every claim answer and the sandbox's execve; Linux caps one string at 128 KiB.
const MAX_ENV_BYTES = 64 * 1024;

function checkInput(input: CreateJobInput): void {
  if (!Number.isInteger(input.iterations) || input.iterations < 1 || input.iterations > MAX_ITERATIONS) {
    throw badInput(`iterations must be a whole number from 1 to ${MAX_ITERATIONS}`, 'iterations');
  }
  if (
    input.timeoutSeconds !== null &&
    (!Number.isInteger(input.timeoutSeconds) || input.timeoutSeconds < 1)
  ) {
    throw badInput('the job timeout must be a whole number of seconds ≥ 1', 'timeout');
  }
  if (input.filePaths.length > MAX_FILE_PATHS) throw badInput(`at most ${MAX_FILE_PATHS} files`, 'filePaths');
  for (const [key, value] of Object.entries(input.env)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key))
      throw badInput(`"${key}" is not an environment variable name`, 'env');
    if (typeof value !== 'string') throw badInput(`the value of ${key} must be a string`, 'env');
  }
  const envBytes = Object.entries(input.env).reduce(
    (sum, [key, value]) => sum + Buffer.byteLength(key) + 1 + Buffer.byteLength(String(value)),
    0,
  );
  if (envBytes > MAX_ENV_BYTES) {
    throw badInput(
      `the job env is ${envBytes} bytes, more than ${MAX_ENV_BYTES}: pass large data as a file in the image`,
      'env',
    );
  }
  if (!input.image.trim()) throw badInput('give the image to run, e.g. my-bench:v1', 'image');
}

/**
 * Queues the job of a remote run, inside the caller's transaction (createRun's, after it made the
 * report), in one statement (insert-job.ts): spec chain, tier, the PENDING job and its wake-up for
 * idle runners, which PostgreSQL NOTIFY delivers at commit. Without a SQL channel the caller
 * publishes the returned events after commit.
 *
 * With `waiters`, a runner sleeping in claimJob on this server may get the job at once: the job
 * is then inserted CLAIMED for it (RUNNING and billed, when it asked to start), and the caller
 * must settle the returned `handOff` after its transaction ends (hand-off.ts: `settleHandOff`).
 */
export async function createJob(
  trx: Database,
  deps: CreateJobDeps,
  input: CreateJobInput,
): Promise<{ job: Selectable<Job>; events: BusEvent[]; handOff: HandOff | null }> {
  checkInput(input);
  const image = await resolveImage(deps.config, deps.services, input.projectId, input.image);
  const reservation = deps.waiters?.reserve() ?? null;
  try {
    return await queue(trx, deps, input, image, reservation);
  } catch (error) {
    reservation?.release();
    throw error;
  }
}

async function queue(
  trx: Database,
  deps: CreateJobDeps,
  input: CreateJobInput,
  image: Awaited<ReturnType<typeof resolveImage>>,
  reservation: Reservation | null,
): Promise<{ job: Selectable<Job>; events: BusEvent[]; handOff: HandOff | null }> {
  const result = await insertJob(trx, {
    reportId: input.reportId,
    organizationId: input.organizationId,
    projectId: input.projectId,
    testbedId: input.testbedId,
    specSlug: input.spec,
    tiers: TIERS.map((tier) => ({
      tier,
      priority: TIER_PRIORITY[tier],
      timeoutSeconds: clampTimeout(deps.config, tier, input.timeoutSeconds),
      unlimited: deps.config.tiers[tier].concurrency === null,
    })),
    handTo: reservation?.candidates ?? [],
    config: {
      registryUrl: registryHost(deps.config),
      repository: image.repository,
      digest: image.digest,
      entrypoint: input.entrypoint,
      cmd: input.cmd,
      env: input.env,
      filePaths: input.filePaths,
      iterations: input.iterations,
    },
    sourceIp: input.sourceIp,
    now: deps.now,
    channel: deps.channel,
  });
  if (!result.job) {
    if (!result.organizationFound) throw notFound('organization');
    if (input.spec) throw notFound(`spec "${input.spec}"`, 'see benchline spec list');
    throw new BenchlineError(
      'NO_SPEC',
      'no spec to run on: pass --spec <slug> (see benchline spec list), or ask the server admin to set a default spec',
    );
  }
  const { job } = result;
  const events: BusEvent[] = deps.channel ? [] : [jobEvent(job)];
  if (!deps.channel && job.status === 'PENDING') events.unshift({ topic: 'queue', specId: job.spec_id });
  // Handed off: CLAIMED, or RUNNING for a claimer that asked for its job started.
  const claimed = job.status !== 'PENDING' ? { job, spec: specFromJson(result.claimedSpec) } : null;
  return { job, events, handOff: reservation && new HandOff(reservation, claimed) };
}
