// Where a submit's time goes in bench/runners-10k.ts (issue 23 §2): how long it waited for a pool
// connection (pg.Pool.connect, patched here, tagged by the caller's async context) against its
// total, and a per-second series of what competes for the pool (every statement, the claim's
// candidate statement, the deepest pool queue, the slowest submit, the worst event-loop delay),
// so a latency tail can be laid against the long-polls' re-poll waves.
import { AsyncLocalStorage } from 'node:async_hooks';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import pg from 'pg';

const context = new AsyncLocalStorage<string>();

interface Second {
  statements: number;
  claims: number;
  poolWaitingMax: number;
  submitMaxMs: number;
  submits: number;
  eldMaxMs: number;
}

export class PoolTrace {
  /** Per tag ('submit', or the pool's size): each acquisition's wait for a pool connection, ms. */
  readonly acquireMs = new Map<string, number[]>();
  readonly seconds: Second[] = [];
  private pools = new Set<pg.Pool>();
  private timer: NodeJS.Timeout | null = null;
  private eld = monitorEventLoopDelay({ resolution: 10 });
  private current: Second = PoolTrace.empty();
  private on = false;

  constructor() {
    const original = pg.Pool.prototype.connect as unknown as (this: pg.Pool, ...a: unknown[]) => unknown;
    const trace = this;
    // Only the promise form, which Kysely's driver uses.
    pg.Pool.prototype.connect = function (this: pg.Pool, ...args: unknown[]) {
      if (args.length > 0) return original.apply(this, args);
      trace.pools.add(this);
      if (!trace.on) return original.call(this);
      // Submits by name; everything else by its pool (the request pool's max is 20).
      const tag =
        context.getStore() ?? `pool of ${(this as unknown as { options: { max: number } }).options.max}`;
      const t = performance.now();
      return (original.call(this) as Promise<pg.PoolClient>).then((client) => {
        const list = trace.acquireMs.get(tag) ?? [];
        trace.acquireMs.set(tag, list);
        list.push(performance.now() - t);
        return client;
      });
    } as unknown as typeof pg.Pool.prototype.connect;
  }

  private static empty(): Second {
    return { statements: 0, claims: 0, poolWaitingMax: 0, submitMaxMs: 0, submits: 0, eldMaxMs: 0 };
  }

  /** Runs `fn` as a submit: its pool acquisitions are counted under 'submit'. */
  asSubmit<T>(fn: () => Promise<T>): Promise<T> {
    return context.run('submit', fn);
  }

  statement(text: string): void {
    if (!this.on) return;
    this.current.statements++;
    if (text.includes('FOR UPDATE OF j SKIP LOCKED')) this.current.claims++;
  }

  submitted(ms: number): void {
    this.current.submits++;
    this.current.submitMaxMs = Math.max(this.current.submitMaxMs, ms);
  }

  start(): void {
    this.on = true;
    this.eld.enable();
    let last = performance.now();
    this.timer = setInterval(() => {
      let waiting = 0;
      for (const pool of this.pools) waiting += pool.waitingCount;
      this.current.poolWaitingMax = Math.max(this.current.poolWaitingMax, waiting);
      // By the clock, not by ticks: a stalled event loop delays the ticks.
      if (performance.now() - last >= 1000) {
        last += 1000;
        this.current.eldMaxMs = this.eld.max / 1e6;
        this.eld.reset();
        this.seconds.push(this.current);
        this.current = PoolTrace.empty();
      }
    }, 20);
  }

  stop(): void {
    this.on = false;
    this.eld.disable();
    if (this.timer) clearInterval(this.timer);
  }

  /** One line per second: the series to read a tail against. */
  series(): string {
    const head = 's   stmts/s claims/s poolq-max submits submit-max-ms eld-max-ms';
    return [
      head,
      ...this.seconds.map((s, i) =>
        [
          String(i).padStart(3),
          String(s.statements).padStart(7),
          String(s.claims).padStart(8),
          String(s.poolWaitingMax).padStart(9),
          String(s.submits).padStart(7),
          s.submitMaxMs.toFixed(1).padStart(13),
          s.eldMaxMs.toFixed(1).padStart(10),
        ].join(' '),
      ),
    ].join('\n');
  }
}
