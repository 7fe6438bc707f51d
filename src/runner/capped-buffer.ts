/** Keeps the first `capBytes` of a stream; the rest is counted but dropped. */
export class CappedBuffer {
  readonly #parts: Buffer[] = [];
  #kept = 0;
  #seen = 0;

  constructor(readonly capBytes: number) {}

  push(chunk: Buffer): void {
    this.#seen += chunk.length;
    const room = this.capBytes - this.#kept;
    if (room <= 0) return;
    const part = chunk.length <= room ? chunk : chunk.subarray(0, room);
    this.#parts.push(part);
    this.#kept += part.length;
  }

  get truncated(): boolean {
    return this.#seen > this.#kept;
  }

  toString(): string {
    return Buffer.concat(this.#parts).toString('utf8');
  }
}
