import type { Logger } from '../logger.js';
import type { EventBus } from './bus.js';
import { NatsEventBus } from './nats.js';
import { PgNotifyEventBus } from './pg-notify.js';

/** The bus the configuration names: NATS when `eventBus` is a nats:// URL, else NOTIFY on the database. */
export async function connectEventBus(
  eventBus: string | null,
  databaseUrl: string,
  log?: Logger,
): Promise<EventBus> {
  if (!eventBus) return PgNotifyEventBus.connect(databaseUrl, log);
  try {
    return await NatsEventBus.connect(eventBus, log);
  } catch (error) {
    throw new Error(
      `cannot reach the event bus at ${eventBus.replace(/\/\/[^@/]*@/, '//***@')} (${String(error)}): start nats-server there, or unset BENCHLINE_EVENT_BUS to use PostgreSQL NOTIFY`,
    );
  }
}
