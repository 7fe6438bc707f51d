/** Something that ends at a deadline kept by a `DeadlineWheel`. */
export interface Expiring {
  /** Called once when its deadline has passed (never before). */
  expire(): void;
  /** The wheel's bookkeeping: the bucket it waits in, or -1. Kept on the item, not in a map of the wheel. */
  wheelSlot: number;
}

/**
 * Deadlines of many waiters on ONE timer. With a timer per waiter, 10,000 long-polls held 10,000
 * Timeout objects and their callbacks' closures for the whole wait, and every wake-up cleared one;
 * here a waiter is an entry in a bucket of `resolutionMs`, buckets are visited in order by a
 * single timer armed for the earliest, and a wake-up is a Set delete. A deadline fires at most
 * `resolutionMs` late, never early. Monotonic clock: a wall-clock step does not end waits.
 */
export class DeadlineWheel<T extends Expiring> {
  /** Bucket index (deadline / resolution, rounded up) → its waiters. */
  private buckets = new Map<number, Set<T>>();
  private count = 0;
  private timer: NodeJS.Timeout | null = null;
  /** The bucket the timer is armed for. */
  private armedFor = Number.POSITIVE_INFINITY;

  constructor(
    private readonly resolutionMs = 100,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Expires `item` after `ms` (at most `resolutionMs` later); replaces a deadline it had. */
  add(item: T, ms: number): void {
    this.delete(item);
    const index = Math.ceil((this.now() + Math.max(0, ms)) / this.resolutionMs);
    let bucket = this.buckets.get(index);
    if (!bucket) {
      bucket = new Set();
      this.buckets.set(index, bucket);
    }
    bucket.add(item);
    item.wheelSlot = index;
    this.count++;
    if (index < this.armedFor) this.arm(index);
  }

  /** Forgets `item`'s deadline (it was woken); harmless when it has none. */
  delete(item: T): void {
    const index = item.wheelSlot;
    if (index < 0) return;
    item.wheelSlot = -1;
    this.count--;
    const bucket = this.buckets.get(index);
    if (bucket?.delete(item) && bucket.size === 0) this.buckets.delete(index);
    // The timer stays armed: when it fires for an empty bucket it re-arms for the next one.
  }

  /** Waiters with a deadline. */
  get size(): number {
    return this.count;
  }

  private arm(index: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.armedFor = index;
    this.timer = setTimeout(() => this.fire(), Math.max(1, index * this.resolutionMs - this.now()));
    // The server's sockets keep the process alive; a pending deadline alone should not.
    this.timer.unref();
  }

  private fire(): void {
    this.timer = null;
    this.armedFor = Number.POSITIVE_INFINITY;
    const due = Math.floor(this.now() / this.resolutionMs);
    let next = Number.POSITIVE_INFINITY;
    const expired: T[] = [];
    for (const [index, bucket] of this.buckets) {
      if (index <= due) {
        for (const item of bucket) {
          item.wheelSlot = -1;
          expired.push(item);
        }
        this.count -= bucket.size;
        this.buckets.delete(index);
      } else if (index < next) next = index;
    }
    if (next !== Number.POSITIVE_INFINITY) this.arm(next);
    // After the wheel is consistent: an expiry may add or delete deadlines.
    for (const item of expired) item.expire();
  }
}
