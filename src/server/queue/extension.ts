import type { BackgroundTask, Extension } from '../app.js';
import type { Config } from '../config.js';
import type { ServerDeps } from '../graphql/context.js';
import { publishAll } from './events.js';
import { HeartbeatBatch, setHeartbeatBatch } from './heartbeat-batch.js';
import { onOrganizationClaimed } from './reprioritize.js';
import { Sweeper } from './sweeper.js';

export interface QueueExtensionOptions {
  /** false: tests call `sweeper.tick()` themselves instead of the timer. */
  sweeperTimer?: boolean;
  /** false: tests call `heartbeats.flush()` themselves instead of the timer. */
  heartbeatTimer?: boolean;
}

export interface QueueExtension extends Extension {
  /** Set once the server started. */
  readonly sweeper: Sweeper | undefined;
  /** This server's batched heartbeats; undefined before start, or when batching is off. */
  readonly heartbeats: HeartbeatBatch | undefined;
}

// ServerDeps carries no URL, and the sweeper needs connections of its own: with no DATABASE_URL
// the server runs the embedded PostgreSQL at this address (see db/embedded.ts).
function databaseUrlOf(config: Config): string {
  return (
    config.databaseUrl ?? `postgres://benchline:benchline@127.0.0.1:${config.embeddedPostgresPort}/benchline`
  );
}

/** The queue's server wiring: claimed organizations' jobs move up, and the sweeper runs. */
export function queueExtension(options: QueueExtensionOptions = {}): QueueExtension {
  let deps: ServerDeps | undefined;
  let sweeper: Sweeper | undefined;
  let heartbeats: HeartbeatBatch | undefined;
  return {
    get sweeper() {
      return sweeper;
    },
    get heartbeats() {
      return heartbeats;
    },
    services: {
      async onOrganizationClaimed(organizationId) {
        if (!deps) return;
        const events = await onOrganizationClaimed(deps.db, organizationId);
        await publishAll(deps.events, events, deps.log);
      },
    },
    start(serverDeps): BackgroundTask {
      deps = serverDeps;
      sweeper = new Sweeper({
        databaseUrl: databaseUrlOf(serverDeps.config),
        config: serverDeps.config,
        clock: serverDeps.clock,
        events: serverDeps.events,
        log: serverDeps.log,
        timer: options.sweeperTimer,
      }).start();
      // Completed jobs left unprocessed by a previous run are finished now, not a tick later.
      sweeper.tick().catch((error) => serverDeps.log.warn({ err: String(error) }, 'first sweep failed'));
      const { config, events } = serverDeps;
      const batch =
        config.heartbeatFlushMs > 0
          ? new HeartbeatBatch({
              db: serverDeps.db,
              events,
              // A short heartbeat timeout (tests) shortens the default interval to fit inside it.
              intervalMs: Math.min(
                config.heartbeatFlushMs,
                Math.floor((config.heartbeatTimeoutSeconds * 1000) / 3),
              ),
              forgetAfterMs: config.heartbeatTimeoutSeconds * 1000,
              log: serverDeps.log,
              timer: options.heartbeatTimer,
            }).start()
          : undefined;
      heartbeats = batch;
      if (batch) setHeartbeatBatch(events, batch);
      const running = sweeper;
      return {
        stop: async () => {
          if (batch) {
            setHeartbeatBatch(events, null);
            await batch.stop();
          }
          await running.stop();
        },
      };
    },
  };
}
