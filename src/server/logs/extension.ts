import type { BackgroundTask, Extension } from '../app.js';
import type { ServerDeps } from '../graphql/context.js';
import type { BlobStore } from '../registry/blob-store.js';
import { type ArchiveResult, archiveJobLogs } from './archive-job-logs.js';
import { BlobStoreLogReader } from './archived-logs.js';

export interface LogArchiveExtensionOptions {
  store: BlobStore;
  /** How often the sweep looks for due jobs; default one minute. */
  intervalMs?: number;
  /** false: tests call `sweep()` themselves. */
  timer?: boolean;
}

export interface LogArchiveExtension extends Extension {
  /** Archives every due job now; resolves with what moved. */
  sweep(): Promise<ArchiveResult>;
}

/**
 * Finished jobs' logs move into the blob store after BENCHLINE_LOG_ARCHIVE_AFTER seconds (never
 * sooner than the late-completion grace, while a runner may still send chunks), and jobLogs reads
 * them back from there.
 */
export function logArchiveExtension(options: LogArchiveExtensionOptions): LogArchiveExtension {
  let deps: ServerDeps | undefined;
  const reader = new BlobStoreLogReader(options.store);

  const sweep = async (): Promise<ArchiveResult> => {
    const total: ArchiveResult = { jobs: 0, chunks: 0, bytes: 0 };
    const d = deps;
    const after = d?.config.logArchiveAfterSeconds;
    if (!d || after === null || after === undefined) return total;
    for (;;) {
      const now = d.clock.now();
      const ageMs = Math.max(after, d.config.lateCompletionGraceSeconds) * 1000;
      const done = await archiveJobLogs(d.db, options.store, {
        now,
        finishedBefore: new Date(now.getTime() - ageMs),
      });
      total.jobs += done.jobs;
      total.chunks += done.chunks;
      total.bytes += done.bytes;
      if (done.jobs === 0) return total;
    }
  };

  return {
    services: { logArchive: reader },
    sweep,
    start(serverDeps): BackgroundTask {
      deps = serverDeps;
      const log = serverDeps.log.child({ component: 'log-archive' });
      let running: Promise<unknown> | undefined;
      const tick = () => {
        running ??= sweep()
          .then((result) => {
            if (result.jobs) log.info(result, 'job logs archived');
          })
          .catch((error) => log.warn({ err: (error as Error).message }, 'log archival failed'))
          .finally(() => {
            running = undefined;
          });
      };
      const timer = options.timer === false ? null : setInterval(tick, options.intervalMs ?? 60_000);
      timer?.unref();
      return {
        async stop() {
          if (timer) clearInterval(timer);
          await running;
        },
      };
    },
  };
}
