import { connect, Events, type NatsConnection, type Subscription } from 'nats';
import type { Logger } from '../logger.js';
import { type BusEvent, type EventBus, Fanout, type Handler, type Interest, type Want } from './bus.js';
import { parseNatsUrl } from './nats-url.js';

/** A subject nobody wants any more is kept this long: claims re-register every long-poll. */
const LINGER_MS = 30_000;

export interface NatsBusOptions {
  /** Tests shorten the linger to see a subject dropped. */
  lingerMs?: number;
}

/** Past this, `ready` resolves anyway: the bus is reconnecting, and its resync covers the gap. */
const READY_TIMEOUT_MS = 2_000;
const PING_MS = 15_000;

/**
 * A subject token from an id: ids are UUIDs, anything else is hex-encoded after a '~' so that '.',
 * '*' and '>' cannot route and no id can take the broadcast token `~all`.
 */
const BROADCAST = '~all';
const token = (id: string): string => (/^[\w-]+$/.test(id) ? id : `~${Buffer.from(id).toString('hex')}`);

interface Held {
  subscription: Subscription;
  ready: Promise<void>;
  count: number;
  linger: NodeJS.Timeout | null;
}

/**
 * The bus on NATS (core, at-most-once): subjects per spec, per job and per project, so a server
 * subscribes only to what its waiting claims, held heartbeats and live streams need, and no
 * server hears every event. The database stays the source of truth: events carry ids, publishing
 * follows the commit, and after a reconnect the resync handlers re-read the tables, as with NOTIFY.
 * JetStream's replay is not used: the tables already replay (subscribers catch up from
 * `job_log_chunk`, claims from the queue), and persisting each wake-up would only add a disk write.
 */
export class NatsEventBus implements EventBus {
  private fanout = new Fanout();
  private held = new Map<string, Held>();
  private closed = false;

  private constructor(
    private nc: NatsConnection,
    private prefix: string,
    private log?: Logger,
    private lingerMs = LINGER_MS,
  ) {
    // Everyone hears a queue event without a spec ("look once"): rare, and needed by every claimer.
    this.nc.subscribe(`${prefix}.queue.${BROADCAST}`, {
      callback: (_error, message) => this.receive(message.data),
    });
    void this.watchStatus();
  }

  static async connect(url: string, log?: Logger, options: NatsBusOptions = {}): Promise<NatsEventBus> {
    const target = parseNatsUrl(url);
    const nc = await connect({
      servers: target.servers,
      user: target.user,
      pass: target.pass,
      token: target.token,
      name: 'benchline-server',
      maxReconnectAttempts: -1,
      reconnectTimeWait: 250,
      pingInterval: PING_MS,
      maxPingOut: 2,
    });
    return new NatsEventBus(nc, target.prefix, log, options.lingerMs);
  }

  private async watchStatus(): Promise<void> {
    for await (const status of this.nc.status()) {
      if (status.type === Events.Disconnect) {
        this.log?.warn('event bus (NATS) lost its connection; reconnecting');
      } else if (status.type === Events.Reconnect) {
        // Subscriptions are restored by the client; what was published meanwhile is re-read.
        this.log?.info('event bus (NATS) reconnected');
        this.fanout.resync();
      }
    }
  }

  private receive(data: Uint8Array): void {
    try {
      this.fanout.emit(JSON.parse(Buffer.from(data).toString('utf8')) as BusEvent);
    } catch (error) {
      this.log?.warn({ err: String(error) }, 'unreadable event payload');
    }
  }

  /** The subject an event is published on. */
  subjectOf(event: BusEvent): string {
    const p = this.prefix;
    if (event.topic === 'queue')
      return `${p}.queue.${event.specId === null ? BROADCAST : token(event.specId)}`;
    if (event.topic === 'job') return `${p}.job.${token(event.projectId)}.${token(event.jobId)}`;
    return `${p}.logs.${token(event.jobId)}`;
  }

  /** The subject (possibly a wildcard) that carries an interest's events. */
  subjectFor(interest: Interest): string {
    const p = this.prefix;
    if (interest.topic === 'queue') return `${p}.queue.${token(interest.specId)}`;
    if (interest.topic === 'job') return `${p}.job.*.${token(interest.jobId)}`;
    if (interest.topic === 'project') return `${p}.job.${token(interest.projectId)}.*`;
    if (interest.topic === 'everything') return `${p}.>`;
    return `${p}.logs.${token(interest.jobId)}`;
  }

  async publish(event: BusEvent): Promise<void> {
    this.nc.publish(this.subjectOf(event), Buffer.from(JSON.stringify(event)));
  }

  want(interest: Interest): Want {
    const subject = this.subjectFor(interest);
    let held = this.held.get(subject);
    if (!held) {
      const subscription = this.nc.subscribe(subject, {
        callback: (_error, message) => this.receive(message.data),
      });
      held = { subscription, ready: this.flushed(), count: 0, linger: null };
      this.held.set(subject, held);
    }
    if (held.linger) clearTimeout(held.linger);
    held.linger = null;
    held.count++;
    const owned = held;
    let dropped = false;
    return {
      ready: owned.ready,
      drop: () => {
        if (dropped) return;
        dropped = true;
        if (--owned.count > 0 || this.closed) return;
        owned.linger = setTimeout(() => {
          if (owned.count > 0 || this.held.get(subject) !== owned) return;
          this.held.delete(subject);
          owned.subscription.unsubscribe();
        }, this.lingerMs);
        owned.linger.unref();
      },
    };
  }

  /** Subjects this server is subscribed to, besides the broadcast one (for tests and metrics). */
  get subjects(): string[] {
    return [...this.held.keys()];
  }

  /** Resolves once the server has processed the subscriptions sent so far (a PING/PONG round trip). */
  private flushed(): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, READY_TIMEOUT_MS);
      timer.unref();
      this.nc.flush().then(
        () => {
          clearTimeout(timer);
          resolve();
        },
        () => {
          clearTimeout(timer);
          resolve();
        },
      );
    });
  }

  subscribe(handler: Handler): () => void {
    return this.fanout.add(handler);
  }

  onResync(handler: () => void): () => void {
    return this.fanout.addResync(handler);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const held of this.held.values()) if (held.linger) clearTimeout(held.linger);
    this.held.clear();
    await this.nc.drain().catch(() => this.nc.close());
  }
}
