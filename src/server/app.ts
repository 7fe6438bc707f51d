import { bootstrapAdmin } from './accounts/users.js';
import type { Clock } from './clock.js';
import { systemClock } from './clock.js';
import type { Config } from './config.js';
import { createDatabase, type Database } from './db/database.js';
import { type EmbeddedDatabase, startEmbeddedPostgres } from './db/embedded.js';
import { migrateToLatest } from './db/migrate.js';
import type { EventBus } from './events/bus.js';
import { connectEventBus } from './events/connect.js';
import type { ServerDeps } from './graphql/context.js';
import type { Services } from './graphql/services.js';
import { type HttpServer, type Route, startHttpServer } from './http/server.js';
import { createLogger, type Logger } from './logger.js';

/**
 * Connections of the long-poll lane (ServerDeps.pollDb), besides the request pool's 20. Enough for
 * a re-poll wave to get through while the event loop is busy (a connection is free again only once
 * the loop has read its answer): with 4, 3,000 runners re-polling 300 times a second queued for
 * seconds on a loaded machine, and runners not yet asleep again missed the hand-off of new jobs.
 */
const POLL_POOL_SIZE = 10;

/** Something that runs in the background (sweeper, garbage collection) and can be stopped. */
export interface BackgroundTask {
  stop(): Promise<void>;
}

/** Parts of the server that plug in at start: the registry, the queue's background work, metrics. */
export interface Extension {
  routes?: Route[];
  services?: Partial<Services>;
  start?(
    deps: ServerDeps,
    http: HttpServer,
  ): Promise<BackgroundTask | undefined> | BackgroundTask | undefined;
}

export interface StartOptions {
  config: Config;
  clock?: Clock;
  log?: Logger;
  extensions?: Extension[];
  /** Sees every SQL statement the request pool runs (tests count them). */
  onQuery?(sql: string): void;
  /** Called once with the first admin's token on a fresh database. */
  onBootstrapToken?(secret: string): void;
}

export interface RunningServer {
  url: string;
  deps: ServerDeps;
  http: HttpServer;
  stop(): Promise<void>;
}

/** Wiring only: config → database → migrations → event bus → http → background work. */
export async function startServer(options: StartOptions): Promise<RunningServer> {
  const { config } = options;
  const log = options.log ?? createLogger(config.logLevel);
  const clock = options.clock ?? systemClock;
  let embedded: EmbeddedDatabase | undefined;
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    log.info({ dataDir: config.dataDir }, 'starting the embedded PostgreSQL');
    embedded = await startEmbeddedPostgres(config.dataDir, config.embeddedPostgresPort);
    databaseUrl = embedded.url;
  }
  const db: Database = createDatabase({
    url: databaseUrl,
    onError: (error) => log.warn({ err: error.message }, 'database connection lost; the pool reconnects'),
    onQuery: options.onQuery,
  });
  const applied = await migrateToLatest(db);
  if (applied.length) log.info({ migrations: applied }, 'applied migrations');
  const token = await bootstrapAdmin(db, clock.now(), config.defaultPlan);
  if (token) options.onBootstrapToken?.(token.secret);

  const events: EventBus = await connectEventBus(config.eventBus, databaseUrl, log);
  const services: Services = {};
  for (const extension of options.extensions ?? []) Object.assign(services, extension.services);
  // The long-poll lane (ServerDeps.pollDb): a few connections are plenty for statements of a
  // millisecond or two, and bound what a re-poll wave can take of the database at once.
  const pollDb: Database = createDatabase({
    url: databaseUrl,
    max: POLL_POOL_SIZE,
    onError: (error) => log.warn({ err: error.message }, 'database connection lost; the pool reconnects'),
    onQuery: options.onQuery,
  });
  const deps: ServerDeps = { db, pollDb, config, clock, events, log, services };
  const routes = (options.extensions ?? []).flatMap((e) => e.routes ?? []);
  const http = await startHttpServer(deps, routes, config.host, config.port, databaseUrl);
  const tasks: BackgroundTask[] = [];
  for (const extension of options.extensions ?? []) {
    const task = await extension.start?.(deps, http);
    if (task) tasks.push(task);
  }
  log.info({ url: http.url }, 'benchline server listening');

  let stopping: Promise<void> | undefined;
  return {
    url: http.url,
    deps,
    http,
    stop: () => {
      stopping ??= (async () => {
        await Promise.all(tasks.map((t) => t.stop()));
        await http.close();
        await events.close();
        await pollDb.destroy();
        await db.destroy();
        await embedded?.stop();
      })();
      return stopping;
    },
  };
}
