import { randomBytes } from 'node:crypto';
import type { Selectable } from 'kysely';
import { checkProjectAccess, type RoleLookup } from '../accounts/access.js';
import { checkSlug } from '../accounts/slug.js';
import type { Viewer } from '../accounts/viewer.js';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import type { Branch, Job, Project, Report } from '../db/schema.js';
import { BenchlineError, badInput, notFound } from '../errors.js';
import type { BusEvent } from '../events/bus.js';
import type { Services } from '../graphql/services.js';
import { ensureResource, findResource } from '../projects/resources.js';
import type { ClaimWaiters } from '../queue/claim-waiters.js';
import { createJob } from '../queue/create-job.js';
import { type HandOff, settleHandOff } from '../queue/hand-off.js';
import { ADAPTER_NAMES, isAdapterName } from '../results/adapters/index.js';
import { ensureMeasure } from '../results/ensure.js';
import type { Fold } from '../results/fold.js';
import { type ProcessedSummary, processResults } from '../results/process-results.js';
import { cloneThresholds, resetOtherThresholds, upsertThreshold } from '../results/threshold-store.js';
import { type ModelParams, validateModel } from '../results/thresholds/index.js';

export interface RunThresholdInput {
  measure: string;
  test: string;
  minSampleSize?: number | null;
  maxSampleSize?: number | null;
  window?: number | null;
  lowerBoundary?: number | null;
  upperBoundary?: number | null;
}

export interface RunJobInput {
  image: string;
  entrypoint?: string[] | null;
  cmd?: string[] | null;
  /** "K=V" entries. */
  env?: string[] | null;
  timeout?: number | null;
  spec?: string | null;
  filePaths?: string[] | null;
  /** Rounds of the alerts' confirmation (null: the project's setting; 0: none). */
  confirmRounds?: number | null;
}

export interface CreateRunInput {
  project: string;
  branch?: string | null;
  hash?: string | null;
  startPoint?: string | null;
  startPointHash?: string | null;
  startPointCloneThresholds?: boolean | null;
  startPointReset?: boolean | null;
  testbed?: string | null;
  adapter?: string | null;
  average?: 'MEAN' | 'MEDIAN' | null;
  fold?: Fold | null;
  iterations?: number | null;
  startTime?: Date | null;
  endTime?: Date | null;
  /** Local runs: one output per iteration. */
  results?: string[] | null;
  /** Remote runs. */
  job?: RunJobInput | null;
  thresholds?: RunThresholdInput[] | null;
  thresholdsReset?: boolean | null;
}

export interface CreateRunDeps {
  db: Database;
  config: Config;
  services: Services;
  viewer: Viewer;
  role: RoleLookup;
  now: Date;
  /** The event bus's SQL channel (EventBus.sqlChannel): a new job's wake-up is then sent at commit. */
  channel?: string;
  /** This server's long-polls, which a new job may be handed to at commit (createJob). */
  waiters?: ClaimWaiters;
}

export interface CreateRunResult {
  report: Selectable<Report>;
  job: Selectable<Job> | null;
  /** Local runs: what processing stored. */
  summary: ProcessedSummary | null;
  /** Publish after the transaction committed. */
  events: BusEvent[];
}

const HASH = /^[0-9a-f]{7,64}$/;
const ENV_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * `benchline run`: one transaction creates whatever the run needs (an unclaimed organization and
 * project for a first anonymous run, branch, testbed, measures, thresholds) and a report; a local
 * run's results are processed at once, a remote run becomes a job. A failure stores nothing.
 */
export async function createRun(deps: CreateRunDeps, input: CreateRunInput): Promise<CreateRunResult> {
  const checked = validateInput(input);
  return settleHandOff((keepHandOff) =>
    deps.db.transaction().execute((trx) => createRunIn(trx, deps, input, checked, keepHandOff)),
  );
}

/** createRun's transaction; a job it creates may be handed to a sleeping runner (`keepHandOff`). */
async function createRunIn(
  trx: Database,
  deps: CreateRunDeps,
  input: CreateRunInput,
  checked: CheckedInput,
  keepHandOff: (handOff: HandOff | null) => void,
): Promise<CreateRunResult> {
  const { viewer, now } = deps;
  const project = await resolveProject(trx, deps, input.project);
  const branch = await resolveBranch(trx, project, input, now);
  const { row: testbed } = await ensureResource(trx, 'testbed', project.id, input.testbed ?? 'localhost');

  // Thresholds first, so that this run's metrics are already checked with them.
  const keepMeasures: string[] = [];
  for (const { measure, params } of checked.thresholds) {
    const measureRow = await ensureMeasure(trx, project.id, measure);
    keepMeasures.push(measureRow.id);
    await upsertThreshold(
      trx,
      { projectId: project.id, branchId: branch.id, testbedId: testbed.id, measureId: measureRow.id },
      params,
      now,
    );
  }
  if (input.thresholdsReset) await resetOtherThresholds(trx, branch.id, testbed.id, keepMeasures, now);

  const startTime = input.startTime ?? now;
  const report = await trx
    .insertInto('report')
    .values({
      project_id: project.id,
      branch_id: branch.id,
      testbed_id: testbed.id,
      spec_id: null,
      user_id: viewer.kind === 'user' ? viewer.userId : null,
      git_hash: input.hash ?? null,
      adapter: checked.adapter,
      average: input.average ?? 'MEAN',
      fold: input.fold ?? null,
      iterations: checked.iterations,
      start_time: startTime,
      end_time: input.endTime ?? null,
      confirm_rounds: input.job?.confirmRounds ?? null,
      created_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();

  if (input.results) {
    const summary = await processResults(trx, {
      reportId: report.id,
      results: input.results,
      now,
      parse: { adapter: report.adapter, average: report.average, fold: report.fold },
      limits: deps.config.outputLimits,
    });
    const processed = await trx
      .selectFrom('report')
      .selectAll()
      .where('id', '=', report.id)
      .executeTakeFirstOrThrow();
    return { report: processed, job: null, summary, events: [] };
  }

  const job = input.job as RunJobInput;
  const created = await createJob(
    trx,
    { config: deps.config, services: deps.services, now, channel: deps.channel, waiters: deps.waiters },
    {
      reportId: report.id,
      projectId: project.id,
      organizationId: project.organization_id,
      testbedId: testbed.id,
      image: job.image,
      entrypoint: job.entrypoint ?? null,
      cmd: job.cmd ?? null,
      env: checked.env,
      timeoutSeconds: job.timeout ?? null,
      spec: job.spec ?? null,
      filePaths: job.filePaths ?? [],
      iterations: checked.iterations,
      sourceIp: viewer.ip,
    },
  );
  keepHandOff(created.handOff);
  // The job's insert also set the report's spec.
  const { repository, digest } = created.job.config as { repository: string; digest: string };
  const current = {
    ...report,
    spec_id: created.job.spec_id,
    image_repository: repository,
    image_digest: digest,
  };
  return { report: current, job: created.job, summary: null, events: created.events };
}

interface CheckedInput {
  adapter: string;
  iterations: number;
  env: Record<string, string>;
  thresholds: Array<{ measure: string; params: ModelParams }>;
}

/** Everything that can be checked without the database, before anything is written. */
function validateInput(input: CreateRunInput): CheckedInput {
  checkSlug(input.project.toLowerCase(), 'project');
  const rounds = input.job?.confirmRounds;
  if (rounds != null && (!Number.isInteger(rounds) || rounds < 0 || rounds > 30)) {
    throw badInput('confirmRounds must be a whole number from 0 (do not confirm) to 30', 'job.confirmRounds');
  }
  const hasResults = input.results != null;
  const hasJob = input.job != null;
  if (hasResults === hasJob) {
    throw badInput('give exactly one of results (a local run) and job (a run on a runner)', 'results');
  }
  if (hasResults && (input.results as string[]).length === 0) {
    throw badInput('results is empty: give one benchmark output per iteration', 'results');
  }
  const adapter = input.adapter ?? 'magic';
  if (!isAdapterName(adapter)) {
    throw badInput(`unknown adapter "${adapter}"; use one of: ${ADAPTER_NAMES.join(', ')}`, 'adapter');
  }
  for (const [field, hash] of [
    ['hash', input.hash],
    ['startPointHash', input.startPointHash],
  ] as const) {
    if (hash != null && !HASH.test(hash)) {
      throw badInput(`${field} "${hash.slice(0, 80)}" is not a git hash: 7-64 lower-case hex digits`, field);
    }
  }
  if (input.startPointHash != null && input.startPoint == null) {
    throw badInput('startPointHash needs startPoint (the branch the hash is on)', 'startPointHash');
  }
  const iterations = hasResults ? (input.results as string[]).length : (input.iterations ?? 1);
  if (input.iterations != null) {
    if (!Number.isInteger(input.iterations) || input.iterations < 1 || input.iterations > 1000) {
      throw badInput('iterations must be a whole number from 1 to 1000', 'iterations');
    }
    if (hasResults && input.iterations !== iterations) {
      throw badInput(
        `iterations is ${input.iterations} but results holds ${iterations} outputs; give one output per iteration`,
        'iterations',
      );
    }
  }
  if (iterations > 1000) throw badInput('at most 1000 iterations', 'results');
  if (input.startTime && input.endTime && input.endTime < input.startTime) {
    throw badInput('endTime is before startTime', 'endTime');
  }
  const env: Record<string, string> = {};
  for (const entry of input.job?.env ?? []) {
    const eq = entry.indexOf('=');
    const key = eq < 0 ? entry : entry.slice(0, eq);
    if (eq < 0 || !ENV_KEY.test(key)) {
      throw badInput(`env entry "${entry.slice(0, 60)}" is not KEY=VALUE`, 'job.env');
    }
    env[key] = entry.slice(eq + 1);
  }
  const seen = new Set<string>();
  const thresholds = (input.thresholds ?? []).map((t, i) => {
    if (!t.measure.trim()) throw badInput(`thresholds[${i}].measure is empty`, 'thresholds');
    if (seen.has(t.measure))
      throw badInput(`measure "${t.measure}" has two thresholds; give one`, 'thresholds');
    seen.add(t.measure);
    const params = validateModel({
      test: t.test,
      minSampleSize: t.minSampleSize,
      maxSampleSize: t.maxSampleSize,
      windowSeconds: t.window,
      lowerBoundary: t.lowerBoundary,
      upperBoundary: t.upperBoundary,
    });
    return { measure: t.measure, params };
  });
  return { adapter, iterations, env, thresholds };
}

/**
 * The run's project. An anonymous run for a project that does not exist creates an unclaimed
 * organization holding a public project (Bencher's unclaimed projects); anonymous runs may keep
 * using it until someone claims the organization. Otherwise the caller needs write access.
 */
async function resolveProject(db: Database, deps: CreateRunDeps, slug: string): Promise<Selectable<Project>> {
  const projectSlug = slug.toLowerCase();
  const existing = await db
    .selectFrom('project')
    .selectAll()
    .where('slug', '=', projectSlug)
    .executeTakeFirst();
  if (existing) {
    if (deps.viewer.kind === 'anonymous' && existing.visibility === 'PUBLIC') {
      const org = await db
        .selectFrom('organization')
        .select('claimed_at')
        .where('id', '=', existing.organization_id)
        .executeTakeFirstOrThrow();
      if (org.claimed_at === null) return existing;
    }
    await checkProjectAccess(deps.viewer, existing, 'WRITE', deps.role);
    return existing;
  }
  if (deps.viewer.kind !== 'anonymous') {
    throw notFound(
      `project "${projectSlug}"`,
      'create it first (benchline project create) or check the slug',
    );
  }
  return createUnclaimedProject(db, projectSlug, deps.now);
}

async function createUnclaimedProject(db: Database, slug: string, now: Date): Promise<Selectable<Project>> {
  // The organization's slug is the project's, or that with a short suffix when taken.
  let org: { id: string } | undefined;
  for (let attempt = 0; !org && attempt < 5; attempt++) {
    const orgSlug = attempt === 0 ? slug : `${slug.slice(0, 57)}-${randomBytes(3).toString('hex')}`;
    org = await db
      .insertInto('organization')
      .values({ name: slug, slug: orgSlug, claimed_at: null, created_at: now, updated_at: now })
      .onConflict((oc) => oc.doNothing())
      .returning('id')
      .executeTakeFirst();
  }
  if (!org) throw new BenchlineError('CONFLICT', 'could not pick an organization slug; try again');
  const project = await db
    .insertInto('project')
    .values({
      organization_id: org.id,
      name: slug,
      slug,
      visibility: 'PUBLIC',
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.column('slug').doNothing())
    .returningAll()
    .executeTakeFirst();
  if (project) return project;
  // Another first run created it a moment ago: use theirs (it is unclaimed and public too).
  await db.deleteFrom('organization').where('id', '=', org.id).execute();
  const raced = await db.selectFrom('project').selectAll().where('slug', '=', slug).executeTakeFirstOrThrow();
  const raceOrg = await db
    .selectFrom('organization')
    .select('claimed_at')
    .where('id', '=', raced.organization_id)
    .executeTakeFirstOrThrow();
  if (raced.visibility !== 'PUBLIC' || raceOrg.claimed_at !== null) {
    throw new BenchlineError('UNAUTHENTICATED', 'sign in first: pass an API token (benchline auth login)');
  }
  return raced;
}

/**
 * The run's branch, created on first use. A start point (with optional hash) makes the branch
 * see the start point's history up to where it branched; a different start point than the
 * branch's current one, or `startPointReset`, begins a new head: the branch's earlier metrics no
 * longer count as history (`start_point_time` marks where the head began).
 */
async function resolveBranch(
  db: Database,
  project: Selectable<Project>,
  input: CreateRunInput,
  now: Date,
): Promise<Selectable<Branch>> {
  const name = input.branch ?? 'main';
  let startPointId: string | null = null;
  if (input.startPoint != null) {
    const base = await findResource(db, 'branch', project.id, input.startPoint);
    if (!base) throw notFound(`start point branch "${input.startPoint}"`, 'push a run to it first');
    startPointId = base.id;
  }
  const existing = await findResource(db, 'branch', project.id, name);
  if (startPointId !== null && existing?.id === startPointId) {
    throw badInput('a branch cannot be its own start point', 'startPoint');
  }
  // The head begins no later than this run's start, so the run's own metrics belong to it.
  const headStart = input.startTime && input.startTime < now ? input.startTime : now;
  const startPoint = {
    start_point_branch_id: startPointId,
    start_point_hash: startPointId ? (input.startPointHash ?? null) : null,
    start_point_time: headStart,
  };

  let branch: Selectable<Branch>;
  let newHead = false;
  if (!existing) {
    const created = await ensureResource(
      db,
      'branch',
      project.id,
      name,
      startPointId || input.startPointReset ? startPoint : undefined,
    );
    branch = created.row as Selectable<Branch>;
    newHead = created.created && startPointId !== null;
  } else {
    branch = existing;
    const moved =
      startPointId !== null &&
      (existing.start_point_branch_id !== startPointId ||
        (existing.start_point_hash ?? null) !== (input.startPointHash ?? null));
    if (moved || input.startPointReset) {
      branch = await db
        .updateTable('branch')
        .set({
          ...(input.startPointReset && startPointId === null
            ? { start_point_branch_id: null, start_point_hash: null, start_point_time: headStart }
            : startPoint),
          updated_at: now,
        })
        .where('id', '=', existing.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      newHead = startPointId !== null;
    }
  }
  if (newHead && input.startPointCloneThresholds && startPointId) {
    await cloneThresholds(db, project.id, startPointId, branch.id, now);
  }
  return branch;
}
