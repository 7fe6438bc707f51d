import pg from 'pg';
import type { Logger } from '../logger.js';
import { type BusEvent, type EventBus, Fanout, type Handler } from './bus.js';

const CHANNEL = 'benchline_events';
const MAX_PAYLOAD = 7900;
/** How often the listener proves it is alive; a half-open TCP connection otherwise loses events silently. */
const PING_MS = 15_000;

/**
 * PostgreSQL LISTEN/NOTIFY: one listening connection per server; several servers on one
 * database see each other's events. After the listener reconnects, resync handlers run so
 * that anything missed while it was down is read from the tables.
 */
export class PgNotifyEventBus implements EventBus {
  readonly sqlChannel = CHANNEL;
  private fanout = new Fanout();
  private listener: pg.Client | null = null;
  private closed = false;
  private publisher: pg.Pool;
  private reconnectDelay = 100;
  private ping: NodeJS.Timeout | null = null;

  private constructor(
    private url: string,
    private log?: Logger,
  ) {
    this.publisher = new pg.Pool({ connectionString: url, max: 4 });
    this.publisher.on('error', (error) =>
      this.log?.warn({ err: error.message }, 'event publisher connection lost'),
    );
  }

  static async connect(url: string, log?: Logger): Promise<PgNotifyEventBus> {
    const bus = new PgNotifyEventBus(url, log);
    await bus.listen();
    return bus;
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url, keepAlive: true });
    client.on('notification', (message) => {
      if (message.channel !== CHANNEL || !message.payload) return;
      try {
        this.fanout.emit(JSON.parse(message.payload) as BusEvent);
      } catch (error) {
        this.log?.warn({ err: String(error) }, 'unreadable event payload');
      }
    });
    client.on('error', () => this.reconnect(client));
    client.on('end', () => this.reconnect(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
    } catch (error) {
      await client.end().catch(() => {});
      throw error;
    }
    if (this.closed) {
      // close() ran while this connection was being made.
      await client.end().catch(() => {});
      return;
    }
    this.listener = client;
    this.reconnectDelay = 100;
    this.startPing(client);
  }

  private startPing(client: pg.Client): void {
    if (this.ping) clearInterval(this.ping);
    this.ping = setInterval(() => {
      if (this.listener !== client) return;
      const timeout = setTimeout(() => this.drop(client), PING_MS);
      client.query('SELECT 1').then(
        () => clearTimeout(timeout),
        () => {
          clearTimeout(timeout);
          this.drop(client);
        },
      );
    }, PING_MS);
    this.ping.unref();
  }

  /** Gives up on a listener that stopped answering; `end` triggers the reconnect. */
  private drop(client: pg.Client): void {
    if (this.listener !== client) return;
    this.reconnect(client);
    client.end().catch(() => {});
  }

  private reconnect(client: pg.Client): void {
    if (this.closed || this.listener !== client) return;
    this.listener = null;
    this.log?.warn('event listener lost its connection; reconnecting');
    const attempt = () => {
      if (this.closed) return;
      this.listen().then(
        () => {
          this.log?.info('event listener reconnected');
          this.fanout.resync();
        },
        () => {
          this.reconnectDelay = Math.min(this.reconnectDelay * 2, 5000);
          setTimeout(attempt, this.reconnectDelay);
        },
      );
    };
    setTimeout(attempt, this.reconnectDelay);
  }

  async publish(event: BusEvent): Promise<void> {
    const payload = JSON.stringify(event);
    const bytes = Buffer.byteLength(payload);
    if (bytes > MAX_PAYLOAD) throw new Error(`event payload too large (${bytes} bytes)`);
    await this.publisher.query('SELECT pg_notify($1, $2)', [CHANNEL, payload]);
  }

  subscribe(handler: Handler): () => void {
    return this.fanout.add(handler);
  }

  onResync(handler: () => void): () => void {
    return this.fanout.addResync(handler);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.ping) clearInterval(this.ping);
    this.ping = null;
    const listener = this.listener;
    this.listener = null;
    await listener?.end().catch(() => {});
    await this.publisher.end().catch(() => {});
  }
}
