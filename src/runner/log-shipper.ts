export type LogStream = 'STDOUT' | 'STDERR';

export interface LogChunk {
  stream: LogStream;
  /** Per job, gapless from 0; a resent batch carries the same seqs, so the server can deduplicate. */
  seq: number;
  data: Buffer;
}

export interface LogShipperOptions {
  /** Delivers one batch; resolving means acknowledged. Rejections are retried forever, in order. */
  send: (batch: LogChunk[]) => Promise<void>;
  /** Output kept per job before the truncation marker (default 25 MiB). */
  capBytes?: number;
  /** The longest a line waits for company, and the least time between two sends of a chatty job (default 50 ms). */
  flushIntervalMs?: number;
  /**
   * 'adaptive' (default): a line goes out at once when nothing is in flight and the job is quiet;
   * 'window': every batch waits flushIntervalMs from its first line (the shipper before adaptive batching,
   * kept as the anchor of bench/live-latency.ts).
   */
  batching?: 'adaptive' | 'window';
  /**
   * Adaptive: each line (or newline-less write) of the last flushIntervalMs spaces sends this much more,
   * up to flushIntervalMs (default 1.25 ms: a job of 800 lines/s or more batches like the fixed window).
   */
  gapPerLineMs?: number;
  /** Upper bound on the data bytes of one batch; reaching it flushes without waiting for the timer. */
  batchBytes?: number;
  initialRetryDelayMs?: number;
  maxRetryDelayMs?: number;
  onSendError?: (error: unknown, attempt: number) => void;
  random?: () => number;
  firstSeq?: number;
}

const MiB = 1024 * 1024;

export function truncationMarker(capBytes: number): string {
  const size = capBytes % MiB === 0 ? `${capBytes / MiB} MiB` : `${capBytes} bytes`;
  return `\n[benchline: output truncated after ${size}]\n`;
}

interface Piece {
  stream: LogStream;
  data: Buffer;
  /** The truncation marker travels as a chunk of its own, so consumers can recognise it. */
  marker?: boolean;
}

/**
 * Turns a job's stdout/stderr into seq-numbered chunks shipped in small batches. Batches go out one at
 * a time and a failed batch is retried (same content, same seqs) before anything after it, so the
 * server sees every byte once per acknowledged batch and in order.
 *
 * Adaptive batching: output is sent at once when nothing is in flight, and coalesced while a send is
 * pending — but sends are also spaced by a gap that grows with the job's line rate (gapPerLineMs per
 * line seen in the last window, capped at flushIntervalMs). A quiet job (100 lines/s → 6 ms gap) has
 * its lines sent as they come. A chatty one, whose gap has reached the window, batches as the fixed
 * window did: a batch leaves flushIntervalMs after its first line, or after the previous batch's
 * acknowledgement when that came later. A window then never overlaps a send in flight, so a chatty job
 * sends less often than the fixed window (whose next batch opens with the next line, acknowledged or
 * not), which pays for its first sends, which go out before its rate is known. (Spacing sends by the
 * window from the last send's start sent ~5% more than the fixed window at 1,000 lines/s.) Pure "send
 * when idle" would send once per round trip (~200/s at 1,000 lines/s), ten times the statements. The
 * job's first window is held as before, so a short job's whole output still rides on its completion
 * (closeKeepingLast).
 */
export class LogShipper {
  readonly #send: LogShipperOptions['send'];
  readonly #capBytes: number;
  readonly #flushIntervalMs: number;
  readonly #adaptive: boolean;
  readonly #gapPerLineMs: number;
  readonly #batchBytes: number;
  readonly #initialDelay: number;
  readonly #maxDelay: number;
  readonly #onSendError: LogShipperOptions['onSendError'];
  readonly #random: () => number;

  #pending: Piece[] = [];
  #pendingBytes = 0;
  /** When the oldest line still pending was written. */
  #firstPendingAt = 0;
  #outbox: LogChunk[][] = [];
  #seq: number;
  #accepted = 0;
  #truncated = false;
  #closed = false;
  #timer: NodeJS.Timeout | undefined;
  #sending = false;
  /** Batches left in the outbox for the caller once closing (closeKeepingLast holds one back). */
  #keep = 0;
  #idleWaiters: (() => void)[] = [];
  /** When the last send started; the construction stands for it and holds the first window whole. */
  #lastSendAt = performance.now();
  /** When the last batch was acknowledged. */
  #lastAckAt = 0;
  #sentOnce = false;
  /** Sliding-window counter of lines: this window's count and the previous one's. */
  #windowStart = performance.now();
  #windowLines = 0;
  #previousWindowLines = 0;

  constructor(options: LogShipperOptions) {
    this.#send = options.send;
    this.#capBytes = options.capBytes ?? 25 * MiB;
    this.#flushIntervalMs = options.flushIntervalMs ?? 50;
    this.#adaptive = (options.batching ?? 'adaptive') === 'adaptive';
    this.#gapPerLineMs = options.gapPerLineMs ?? 1.25;
    this.#batchBytes = Math.max(1, options.batchBytes ?? 64 * 1024);
    this.#initialDelay = options.initialRetryDelayMs ?? 100;
    this.#maxDelay = options.maxRetryDelayMs ?? 10_000;
    this.#onSendError = options.onSendError;
    this.#random = options.random ?? Math.random;
    this.#seq = options.firstSeq ?? 0;
  }

  /** Bound for passing straight to an executor. */
  readonly stdout = (data: Buffer): void => this.write('STDOUT', data);
  readonly stderr = (data: Buffer): void => this.write('STDERR', data);

  get truncated(): boolean {
    return this.#truncated;
  }

  /** Output bytes accepted so far (the marker excluded). */
  get acceptedBytes(): number {
    return this.#accepted;
  }

  /** The seq the next chunk will get; also how many chunks have been cut. */
  get nextSeq(): number {
    return this.#seq;
  }

  write(stream: LogStream, data: Buffer): void {
    if (this.#closed || this.#truncated || data.length === 0) return;
    const room = this.#capBytes - this.#accepted;
    if (data.length <= room) {
      this.#enqueue({ stream, data });
      this.#accepted += data.length;
    } else {
      if (room > 0) this.#enqueue({ stream, data: data.subarray(0, room) });
      this.#accepted += Math.max(0, room);
      this.#truncated = true;
      this.#enqueue({ stream: 'STDERR', data: Buffer.from(truncationMarker(this.#capBytes)), marker: true });
    }
    this.#countLines(data);
    while (this.#pendingBytes >= this.#batchBytes) this.#cutBatch();
    this.#pump();
    this.#sendOrSchedule();
  }

  /** Cuts whatever is pending into batches now instead of at the next tick. */
  flush(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    while (this.#pendingBytes > 0) this.#cutBatch();
    this.#pump();
  }

  /** Stops accepting output, flushes, and resolves once every batch has been acknowledged. */
  close(): Promise<void> {
    this.#closed = true;
    this.flush();
    if (!this.#sending && this.#outbox.length <= this.#keep) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /**
   * Like close, but the last batch is not sent: it resolves, once every batch before it has been
   * acknowledged, with that batch (or null when nothing is left) for the caller to deliver with the
   * job's result — one request fewer at the end of every job. Undelivered, it is the caller's to retry.
   */
  async closeKeepingLast(): Promise<LogChunk[] | null> {
    this.#keep = 1;
    await this.close();
    return this.#outbox.shift() ?? null;
  }

  #enqueue(piece: Piece): void {
    if (this.#pendingBytes === 0) this.#firstPendingAt = performance.now();
    this.#pending.push(piece);
    this.#pendingBytes += piece.data.length;
  }

  /** Lines, not writes: a pipe read carries however many lines the workload wrote since the last one. */
  #countLines(data: Buffer): void {
    if (!this.#adaptive) return;
    this.#rollWindow(performance.now());
    let lines = 0;
    for (let i = data.indexOf(10); i !== -1; i = data.indexOf(10, i + 1)) lines++;
    this.#windowLines += Math.max(1, lines);
  }

  #rollWindow(now: number): void {
    const elapsed = now - this.#windowStart;
    if (elapsed < this.#flushIntervalMs) return;
    // One window later the current count becomes the previous; more than one, both are stale.
    this.#previousWindowLines = elapsed < 2 * this.#flushIntervalMs ? this.#windowLines : 0;
    this.#windowLines = 0;
    this.#windowStart = now - (elapsed % this.#flushIntervalMs);
  }

  /** The least time between two sends now: the lines of the last window, weighted as a sliding window. */
  #gap(now: number): number {
    if (!this.#sentOnce) return this.#flushIntervalMs;
    this.#rollWindow(now);
    const into = (now - this.#windowStart) / this.#flushIntervalMs;
    const recent = this.#windowLines + this.#previousWindowLines * (1 - into);
    return Math.min(this.#flushIntervalMs, recent * this.#gapPerLineMs);
  }

  /** Pending output goes out now if nothing is in flight and the gap since the last send has passed. */
  #sendOrSchedule(): void {
    if (this.#pendingBytes === 0 || this.#closed) return;
    // The fixed window runs from the first pending line, in flight or not.
    if (!this.#adaptive) {
      this.#schedule(this.#flushIntervalMs);
      return;
    }
    if (this.#sending) return;
    const now = performance.now();
    const gap = this.#gap(now);
    // Chatty: a batch collects for a whole window from its first line, as the fixed window's did, and
    // from the last acknowledgement when that is later: a window never overlaps a send in flight, so
    // a chatty job sends less often than the fixed window (whose next batch opens with the next line,
    // acknowledged or not). (The first window stays counted from the start, as before.)
    const due =
      gap >= this.#flushIntervalMs && this.#sentOnce
        ? Math.max(this.#lastAckAt, this.#firstPendingAt) + this.#flushIntervalMs
        : this.#lastSendAt + gap;
    const wait = due - now;
    if (wait > 0) {
      this.#schedule(wait);
      return;
    }
    this.flush();
  }

  #schedule(delayMs: number): void {
    if (this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (this.#adaptive) this.#sendOrSchedule();
      else this.flush();
    }, delayMs);
  }

  /** Takes up to batchBytes from the front of pending, merging runs of one stream into one chunk. */
  #cutBatch(): void {
    const batch: LogChunk[] = [];
    let budget = this.#batchBytes;
    while (budget > 0 && this.#pending.length > 0) {
      const first = this.#pending[0];
      if (first.marker && first.data.length > budget && batch.length > 0) break;
      const stream = first.stream;
      const parts: Buffer[] = [];
      while (budget > 0 && this.#pending.length > 0 && this.#pending[0].stream === stream) {
        const piece = this.#pending[0];
        if (parts.length > 0 && (piece.marker || first.marker)) break;
        if (piece.data.length <= budget) {
          parts.push(piece.data);
          budget -= piece.data.length;
          this.#pending.shift();
        } else {
          // Split in place: the tail stays first in line, so no byte moves or goes missing.
          parts.push(piece.data.subarray(0, budget));
          piece.data = piece.data.subarray(budget);
          budget = 0;
        }
      }
      const data = parts.length === 1 ? parts[0] : Buffer.concat(parts);
      this.#pendingBytes -= data.length;
      batch.push({ stream, seq: this.#seq++, data });
    }
    if (batch.length > 0) this.#outbox.push(batch);
  }

  #pump(): void {
    if (this.#sending || this.#outbox.length <= (this.#closed ? this.#keep : 0)) return;
    this.#sending = true;
    void this.#drain();
  }

  async #drain(): Promise<void> {
    while (this.#outbox.length > (this.#closed ? this.#keep : 0)) {
      const batch = this.#outbox[0];
      this.#lastSendAt = performance.now();
      this.#sentOnce = true;
      for (let attempt = 1; ; attempt++) {
        try {
          await this.#send(batch);
          this.#lastAckAt = performance.now();
          break;
        } catch (error) {
          this.#onSendError?.(error, attempt);
          const ceiling = Math.min(this.#maxDelay, this.#initialDelay * 2 ** Math.min(attempt - 1, 30));
          // Jitter over the upper half of the window keeps runners from retrying in lockstep after an outage.
          await new Promise((resolve) => setTimeout(resolve, ceiling / 2 + (this.#random() * ceiling) / 2));
        }
      }
      this.#outbox.shift();
    }
    this.#sending = false;
    // What piled up while the send was in flight goes next, as one batch (or waits out the gap).
    this.#sendOrSchedule();
    if (this.#sending) return;
    if (this.#pendingBytes === 0 || this.#closed) {
      const waiters = this.#idleWaiters;
      this.#idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }
}
