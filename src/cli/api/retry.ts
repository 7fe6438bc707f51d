export interface RetryOptions {
  attempts?: number;
  baseMs?: number;
  maxMs?: number;
  /** The longest Retry-After honoured by waiting (default 60 s); a longer one ends the retries. */
  maxRetryAfterMs?: number;
  /** Called before each wait, so a UI can say "retrying". */
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  sleep?: (ms: number) => Promise<void>;
}

/** Exponential backoff with full jitter, so many CI jobs hitting a restarting server spread out. */
export function backoffDelay(attempt: number, baseMs = 250, maxMs = 8000, random = Math.random): number {
  return Math.round(random() * Math.min(maxMs, baseMs * 2 ** attempt));
}

export async function withRetry<T>(
  work: () => Promise<T>,
  isRetryable: (error: unknown) => boolean,
  options: RetryOptions = {},
): Promise<T> {
  const attempts = options.attempts ?? 5;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  for (let attempt = 0; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (attempt + 1 >= attempts || !isRetryable(error)) throw error;
      // A server that said when to come back (429 + Retry-After) is not asked sooner; one that
      // asks for longer than a CLI should sit silent gets the error shown instead.
      const asked = ((error as { retryAfterSeconds?: number }).retryAfterSeconds ?? 0) * 1000;
      if (asked > (options.maxRetryAfterMs ?? 60_000)) throw error;
      const delay = Math.max(asked, backoffDelay(attempt, options.baseMs, options.maxMs));
      options.onRetry?.(error, attempt + 1, delay);
      await sleep(delay);
    }
  }
}
