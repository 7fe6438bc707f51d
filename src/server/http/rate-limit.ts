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

  /** Seconds until the key has a token again (0: it has one now); takes nothing. */
  retryAfterSeconds(key: string, perMinute: number): number {
    const bucket = this.buckets.get(key);
    if (!bucket) return 0;
    const tokens = Math.min(perMinute, bucket.tokens + ((this.now() - bucket.at) / 60_000) * perMinute);
    return tokens >= 1 ? 0 : Math.max(1, Math.ceil(((1 - tokens) / perMinute) * 60));
  }

  private sweep(now: number): void {
    for (const [key, bucket] of this.buckets) if (now - bucket.at > 60_000) this.buckets.delete(key);
  }
}
