import DataLoader from 'dataloader';
import type { Selectable } from 'kysely';
import type { Role, Viewer } from '../accounts/viewer.js';
import type { Database } from '../db/database.js';
import type { DB } from '../db/schema.js';
import { notFound } from '../errors.js';
import { type AlertView, alertViews } from '../results/queries.js';
import { type ResultPage, reportResultPages } from '../results/result-page.js';

/** The most alerts `Report.alerts` lists; a report's alerts beyond it are in `alerts(project…)`. */
export const REPORT_ALERTS_MAX = 1_000;

type TableWithId = {
  [T in keyof DB]: DB[T] extends { id: unknown } ? T : never;
}[keyof DB];

export type Row<T extends keyof DB> = Selectable<DB[T]>;

/** A row a foreign key points at; NOT_FOUND should it be gone (deleted between two queries). */
export async function loadRow<T>(loader: { load(id: string): Promise<T | null> }, id: string): Promise<T> {
  const row = await loader.load(id);
  if (!row) throw notFound('record');
  return row;
}

/** One query per batch of ids, whatever the nesting: `SELECT * FROM t WHERE id IN (…)`. */
function rowLoader<T extends TableWithId>(db: Database, table: T): DataLoader<string, Row<T> | null> {
  return new DataLoader(async (ids) => {
    const rows = (await db
      .selectFrom(table as any)
      .selectAll()
      .where('id' as any, 'in', ids as string[])
      .execute()) as Array<Row<T> & { id: string }>;
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id) ?? null);
  });
}

type Factory = (db: Database, viewer: Viewer) => unknown;

// A request's loaders, each made on first use from these (shared, module-level) factories: most
// requests read one or two, and a runner's long-poll or held heartbeat none — with 10,000 runners
// connected, twenty DataLoaders made up front for every waiting request were most of the server's
// memory per runner (bench/runners-10k.ts).
const factories = {
  user: (db) => rowLoader(db, 'user'),
  organization: (db) => rowLoader(db, 'organization'),
  project: (db) => rowLoader(db, 'project'),
  branch: (db) => rowLoader(db, 'branch'),
  testbed: (db) => rowLoader(db, 'testbed'),
  measure: (db) => rowLoader(db, 'measure'),
  benchmark: (db) => rowLoader(db, 'benchmark'),
  spec: (db) => rowLoader(db, 'spec'),
  runner: (db) => rowLoader(db, 'runner'),
  report: (db) => rowLoader(db, 'report'),
  job: (db) => rowLoader(db, 'job'),
  /** In-flight jobs' last beats, which live on their leases rather than their rows (migration 0022). */
  leaseBeat: (db) =>
    new DataLoader<string, Date | null>(async (ids) => {
      const rows = await db
        .selectFrom('job_lease')
        .select(['job_id', 'beat_at'])
        .where('job_id', 'in', ids as string[])
        .execute();
      const byId = new Map(rows.map((row) => [row.job_id, row.beat_at]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
  threshold: (db) => rowLoader(db, 'threshold'),
  model: (db) => rowLoader(db, 'model'),
  /** A report's metrics with their boundaries and alerts, for many reports in one query. */
  /**
   * A page of a report's results, keyed `reportId first after`: `results` and `resultPage` share
   * it, and the reports asking for the same page (a list of reports) share two statements.
   */
  resultPage: (db) =>
    new DataLoader<string, ResultPage>(async (keys) => {
      const groups = new Map<string, string[]>();
      for (const key of keys) {
        const [reportId, ...page] = key.split(' ');
        const group = page.join(' ');
        groups.set(group, [...(groups.get(group) ?? []), reportId!]);
      }
      const pages = new Map<string, ResultPage>();
      for (const [group, reportIds] of groups) {
        const [first, after] = group.split(' ');
        const byReport = await reportResultPages(db, reportIds, {
          first: Number(first),
          after: after || null,
        });
        for (const [id, page] of byReport) pages.set(`${id} ${group}`, page);
      }
      return keys.map((key) => pages.get(key)!);
    }),
  /** A report's alerts, at most REPORT_ALERTS_MAX of them (oldest first), for a batch of reports. */
  reportAlerts: (db) =>
    new DataLoader<string, AlertView[]>(async (reportIds) => {
      const rows = (await alertViews(db)
        .where('metric.report_id', 'in', reportIds as string[])
        .orderBy('alert.created_at')
        .orderBy('alert.id')
        .limit(REPORT_ALERTS_MAX * reportIds.length)
        .execute()) as AlertView[];
      return reportIds.map((id) => rows.filter((r) => r.report_id === id).slice(0, REPORT_ALERTS_MAX));
    }),
  /** A report's job (remote runs). */
  jobByReport: (db) =>
    new DataLoader<string, Row<'job'> | null>(async (reportIds) => {
      const rows = await db
        .selectFrom('job')
        .selectAll()
        .where('report_id', 'in', reportIds as string[])
        .where('kind', '=', 'RUN')
        .execute();
      const byReport = new Map(rows.map((r) => [r.report_id, r]));
      return reportIds.map((id) => byReport.get(id) ?? null);
    }),
  /** A report's confirmation job, once its alerts queued one. */
  confirmationByReport: (db) =>
    new DataLoader<string, Row<'job'> | null>(async (reportIds) => {
      const rows = await db
        .selectFrom('job')
        .selectAll()
        .where('report_id', 'in', reportIds as string[])
        .where('kind', '=', 'CONFIRMATION')
        .execute();
      const byReport = new Map(rows.map((r) => [r.report_id, r]));
      return reportIds.map((id) => byReport.get(id) ?? null);
    }),
  /** Alerts with their limits and metric. */
  alert: (db) =>
    new DataLoader<string, AlertView | null>(async (ids) => {
      const rows = await alertViews(db)
        .where('alert.id', 'in', ids as string[])
        .execute();
      const byId = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
  /** The viewer's role per organization. */
  role: (db, viewer) =>
    new DataLoader<string, Role | null>(async (orgIds) => {
      if (viewer.kind !== 'user') return orgIds.map(() => null);
      const rows = await db
        .selectFrom('membership')
        .select(['organization_id', 'role'])
        .where('user_id', '=', viewer.userId)
        .where('organization_id', 'in', orgIds as string[])
        .execute();
      const byOrg = new Map(rows.map((r) => [r.organization_id, r.role as Role]));
      return orgIds.map((id) => byOrg.get(id) ?? null);
    }),
  /** The specs each runner serves. */
  runnerSpecs: (db) =>
    new DataLoader<string, Row<'spec'>[]>(async (runnerIds) => {
      const rows = await db
        .selectFrom('runner_spec')
        .innerJoin('spec', 'spec.id', 'runner_spec.spec_id')
        .selectAll('spec')
        .select('runner_spec.runner_id')
        .where('runner_spec.runner_id', 'in', runnerIds as string[])
        .orderBy('spec.slug')
        .execute();
      return runnerIds.map((id) => rows.filter((r) => r.runner_id === id));
    }),
} satisfies Record<string, Factory>;

export type Loaders = { readonly [K in keyof typeof factories]: ReturnType<(typeof factories)[K]> };

class LazyLoaders {
  constructor(
    readonly db: Database,
    readonly viewer: Viewer,
  ) {}
}
for (const [key, make] of Object.entries(factories) as Array<[string, Factory]>) {
  Object.defineProperty(LazyLoaders.prototype, key, {
    get(this: LazyLoaders) {
      const loader = make(this.db, this.viewer);
      Object.defineProperty(this, key, { value: loader });
      return loader;
    },
  });
}

export function createLoaders(db: Database, viewer: Viewer): Loaders {
  return new LazyLoaders(db, viewer) as unknown as Loaders;
}
