import type { Database } from '../db/database.js';
import type { EventBus } from '../events/bus.js';
import { liveHub } from './hub.js';
import { type JobRow, stateKey } from './job-state.js';
import { LiveIterator } from './live-iterator.js';

export interface ProjectJobsStreamOptions {
  /** Changed job ids kept for a consumer that is not reading; the oldest are dropped beyond it. */
  maxPending?: number;
  /** Rows read per pull. */
  pageSize?: number;
}

/** Jobs a resync re-sends besides the unfinished ones: the console's first screen. */
const RESYNC_RECENT = 20;

/**
 * Changes to the jobs of one project, for the console: each changed job's current row. Only the
 * ids of changed jobs wait for a slow consumer (bounded); rows are read when it asks for them,
 * so several changes to one job while it is not reading arrive as one, the latest.
 */
export function projectJobsStream(
  db: Database,
  events: EventBus,
  projectId: string,
  options: ProjectJobsStreamOptions = {},
): LiveIterator<JobRow> {
  const maxPending = options.maxPending ?? 1000;
  const pageSize = options.pageSize ?? 50;
  const pending = new Set<string>();
  /** What was last sent per job, to drop events that changed nothing; bounded like `pending`. */
  const sent = new Map<string, string>();
  const stream = new LiveIterator<JobRow>(pull);

  function mark(jobId: string): void {
    pending.delete(jobId);
    pending.add(jobId);
    if (pending.size > maxPending) pending.delete(pending.values().next().value as string);
    stream.wake();
  }

  let resyncing = false;
  async function resync(): Promise<void> {
    if (resyncing) return;
    resyncing = true;
    try {
      const rows = await db
        .selectFrom('job')
        .select('id')
        .where('project_id', '=', projectId)
        .where((eb) =>
          eb.or([
            eb('status', 'not in', ['PROCESSED', 'FAILED', 'CANCELED']),
            eb(
              'id',
              'in',
              eb
                .selectFrom('job')
                .select('id')
                .where('project_id', '=', projectId)
                .orderBy('created_at', 'desc')
                .limit(RESYNC_RECENT),
            ),
          ]),
        )
        .limit(maxPending)
        .execute();
      for (const row of rows) mark(row.id);
    } catch {
      // Nothing to re-send now; the next event or resync brings the stream back up to date.
    } finally {
      resyncing = false;
    }
  }

  const release = liveHub(db, events).watchProject(projectId, {
    changed: mark,
    resync: () => void resync(),
  });
  stream.onEnd(release);

  async function pull() {
    const items: JobRow[] = [];
    // Events that changed nothing are dropped; keep reading until something is worth sending.
    while (!items.length && pending.size) items.push(...(await readChanged()));
    return { items, done: false };
  }

  async function readChanged(): Promise<JobRow[]> {
    const ids = [...pending].slice(0, pageSize);
    for (const id of ids) pending.delete(id);
    const rows = await db.selectFrom('job').selectAll().where('id', 'in', ids).execute();
    const byId = new Map(rows.map((row) => [row.id, row]));
    const items: JobRow[] = [];
    for (const id of ids) {
      const row = byId.get(id);
      if (!row) continue;
      const key = stateKey(row);
      if (sent.get(id) === key) continue;
      sent.delete(id);
      sent.set(id, key);
      if (sent.size > maxPending) sent.delete(sent.keys().next().value as string);
      items.push(row);
    }
    return items;
  }

  return stream;
}
