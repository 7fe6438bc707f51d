/**
 * A token bucket per key (source IP for anonymous callers, token id otherwise), per server.
 * Buckets refill continuously; idle buckets are dropped so memory stays bounded.
 */
export class RateLimiter {
  private buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private now: () => number = Date.now) {}

  /** Takes one token; false when the key is over its per-minute limit. */
  take(key: string, perMinute: number): boolean {
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: perMinute, at: now };
    bucket.tokens = Math.min(perMinute, bucket.tokens + ((now - bucket.at) / 60_000) * perMinute);
    bucket.at = now;
    if (this.buckets.size > 100_000) this.sweep(now);
    this.buckets.set(key, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  private sweep(now: number): void {
    for (const [key, bucket] of this.buckets) if (now - bucket.at > 60_000) this.buckets.delete(key);
  }
}
