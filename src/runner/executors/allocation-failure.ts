import type { LimitExceeded, ResourceLimits, RunStatus } from './executor.js';

/** Bytes of the job's stderr kept: runtimes report a failed allocation in their last words. */
const TAIL_BYTES = 8192;

/**
 * What runtimes print when an allocation is refused: C's strerror(ENOMEM), glibc/musl/Go/Node/busybox
 * ("out of memory"), C++'s std::bad_alloc, Rust's "memory allocation of N bytes failed", Python's
 * MemoryError, the JVM's OutOfMemoryError, bash's "xmalloc … cannot allocate".
 */
const ALLOCATION_FAILED =
  /cannot allocate memory|out of memory|bad_alloc|memory allocation of \d+ bytes failed|MemoryError|OutOfMemoryError|memory exhausted|xmalloc: .*cannot allocate/i;

/** The last bytes of a stream, kept in a fixed buffer whatever the job writes. */
export class StreamTail {
  readonly #buffer = Buffer.alloc(TAIL_BYTES);
  #length = 0;

  push(chunk: Buffer): void {
    if (chunk.length >= TAIL_BYTES) {
      chunk.copy(this.#buffer, 0, chunk.length - TAIL_BYTES);
      this.#length = TAIL_BYTES;
      return;
    }
    const keep = Math.min(this.#length, TAIL_BYTES - chunk.length);
    this.#buffer.copy(this.#buffer, 0, this.#length - keep, this.#length);
    chunk.copy(this.#buffer, keep);
    this.#length = keep + chunk.length;
  }

  text(): string {
    return this.#buffer.subarray(0, this.#length).toString('utf8');
  }
}

const mib = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(0)} MiB`;

/**
 * A job under a memory limit whose program ended badly (non-zero exit or a signal) right after saying an
 * allocation failed died of the limit: RLIMIT_AS refused one allocation larger than the watchdog ever
 * saw resident (it refuses before anything is touched). Named OUT_OF_MEMORY, never a benchmark result.
 * The text alone proves nothing (a job may print anything): it takes the failed end with it, and a job
 * gains nothing by naming its own failure this way.
 */
export function allocationFailure(
  status: Pick<RunStatus, 'exitCode' | 'signal' | 'timedOut' | 'canceled'>,
  stderr: string,
  limits: ResourceLimits,
  addressSpaceBytes: number | undefined,
): LimitExceeded | undefined {
  if (!limits.memoryBytes || status.timedOut || status.canceled) return undefined;
  if (status.exitCode === 0 && !status.signal) return undefined;
  const line = stderr
    .split('\n')
    .reverse()
    .find((l) => ALLOCATION_FAILED.test(l));
  if (!line) return undefined;
  const quoted = line.trim().slice(0, 200);
  const space = addressSpaceBytes ? ` (${mib(addressSpaceBytes)} of address space per process)` : '';
  return {
    reason: 'OUT_OF_MEMORY',
    message: `the job's program could not allocate memory ("${quoted}") and ended with ${status.signal ? `signal ${status.signal}` : `exit code ${status.exitCode}`}: it asked for more than the spec's memory limit of ${mib(limits.memoryBytes)}${space} allows`,
  };
}
