import { describe, expect, it } from 'vitest';
import { type LogChunk, LogShipper, type LogStream, truncationMarker } from './log-shipper.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function collector() {
  const batches: LogChunk[][] = [];
  const send = async (batch: LogChunk[]) => {
    batches.push(batch);
  };
  return { batches, send };
}

/** Acknowledges each batch after 100 ms. */
function slowSender() {
  const state = {
    acked: false,
    send: async () => {
      await sleep(100);
      state.acked = true;
    },
  };
  return state;
}

function joined(chunks: LogChunk[], stream?: LogStream): string {
  return Buffer.concat(chunks.filter((c) => !stream || c.stream === stream).map((c) => c.data)).toString();
}

function expectGapless(chunks: LogChunk[]) {
  expect(chunks.map((c) => c.seq)).toEqual(chunks.map((_, i) => i));
}

describe('LogShipper', () => {
  it('batches small writes about every 50 ms, keeping order across streams', async () => {
    const { batches, send } = collector();
    const shipper = new LogShipper({ send });
    shipper.stdout(Buffer.from('a1 '));
    shipper.stdout(Buffer.from('a2 '));
    shipper.stderr(Buffer.from('e1 '));
    shipper.stdout(Buffer.from('a3 '));
    expect(batches).toHaveLength(0);
    await sleep(80);
    expect(batches).toHaveLength(1);
    expect(batches[0].map((c) => [c.stream, c.seq, c.data.toString()])).toEqual([
      ['STDOUT', 0, 'a1 a2 '],
      ['STDERR', 1, 'e1 '],
      ['STDOUT', 2, 'a3 '],
    ]);
    shipper.stderr(Buffer.from('later'));
    await shipper.close();
    expect(batches).toHaveLength(2);
    expect(batches[1]).toEqual([{ stream: 'STDERR', seq: 3, data: Buffer.from('later') }]);
  });

  it('flushes at 64 KiB without waiting, splitting chunks without losing bytes', async () => {
    const { batches, send } = collector();
    const shipper = new LogShipper({ send, flushIntervalMs: 10_000 });
    const big = Buffer.alloc(200 * 1024);
    for (let i = 0; i < big.length; i++) big[i] = 97 + (i % 26);
    shipper.stdout(big.subarray(0, 1000));
    shipper.stderr(Buffer.from('interleaved'));
    shipper.stdout(big.subarray(1000));
    await sleep(20);
    expect(batches.length).toBe(3);
    for (const batch of batches) {
      expect(batch.reduce((n, c) => n + c.data.length, 0)).toBe(64 * 1024);
    }
    await shipper.close();
    const chunks = batches.flat();
    expectGapless(chunks);
    expect(Buffer.concat(chunks.filter((c) => c.stream === 'STDOUT').map((c) => c.data)).equals(big)).toBe(
      true,
    );
    expect(joined(chunks, 'STDERR')).toBe('interleaved');
    expect(chunks.findIndex((c) => c.stream === 'STDERR')).toBe(1);
  });

  it('caps output, adds one truncation marker and then drops everything', async () => {
    const { batches, send } = collector();
    const shipper = new LogShipper({ send, capBytes: 1000 });
    shipper.stdout(Buffer.alloc(600, 'a'));
    shipper.stderr(Buffer.alloc(600, 'b'));
    shipper.stdout(Buffer.from('after the cap'));
    shipper.stderr(Buffer.from('after the cap'));
    await shipper.close();
    const chunks = batches.flat();
    expectGapless(chunks);
    expect(shipper.truncated).toBe(true);
    expect(joined(chunks, 'STDOUT')).toBe('a'.repeat(600));
    expect(joined(chunks, 'STDERR')).toBe(`${'b'.repeat(400)}${truncationMarker(1000)}`);
    expect(chunks[chunks.length - 1].data.toString()).toBe(truncationMarker(1000));
    expect(truncationMarker(25 * 1024 * 1024)).toBe('\n[benchline: output truncated after 25 MiB]\n');
  });

  it('retries failed batches with backoff, in order, with no loss or duplication', async () => {
    const delivered: LogChunk[] = [];
    const attempts: number[][] = [];
    let calls = 0;
    const errors: number[] = [];
    const shipper = new LogShipper({
      batchBytes: 100,
      flushIntervalMs: 5,
      initialRetryDelayMs: 2,
      maxRetryDelayMs: 20,
      onSendError: (_e, attempt) => errors.push(attempt),
      send: async (batch) => {
        calls++;
        attempts.push(batch.map((c) => c.seq));
        await sleep(1);
        // The first three calls fail, then every third.
        if (calls <= 3 || calls % 3 === 0) throw new Error('server restarting');
        delivered.push(...batch);
      },
    });
    let expected = '';
    for (let i = 0; i < 200; i++) {
      const text = `line ${i} ${'x'.repeat(i % 37)}\n`;
      expected += text;
      shipper.write(i % 5 === 0 ? 'STDERR' : 'STDOUT', Buffer.from(text));
      if (i % 20 === 0) await sleep(3);
    }
    await shipper.close();
    expectGapless(delivered);
    expect(delivered.map((c) => c.data.toString()).join('')).toBe(expected);
    expect(errors.slice(0, 3)).toEqual([1, 2, 3]);
    // A retried batch is resent identically.
    for (let i = 1; i < attempts.length; i++) {
      const prev = attempts[i - 1];
      const cur = attempts[i];
      expect(cur[0] === prev[0] ? cur : cur[0]).toEqual(
        cur[0] === prev[0] ? prev : prev[prev.length - 1] + 1,
      );
    }
  });

  it('close resolves at once with nothing to send, and ignores writes afterwards', async () => {
    const { batches, send } = collector();
    const shipper = new LogShipper({ send });
    await shipper.close();
    shipper.stdout(Buffer.from('late'));
    await sleep(70);
    expect(batches).toEqual([]);
  });

  it('close waits for a slow acknowledgement', async () => {
    const slow = slowSender();
    const shipper = new LogShipper({ send: slow.send });
    shipper.stdout(Buffer.from('x'));
    await shipper.close();
    expect(slow.acked).toBe(true);
  });

  describe('closeKeepingLast', () => {
    it('hands back a short job’s whole output unsent, as one batch', async () => {
      const { batches, send } = collector();
      const shipper = new LogShipper({ send });
      shipper.stdout(Buffer.from('one '));
      shipper.stderr(Buffer.from('two'));
      const last = await shipper.closeKeepingLast();
      expect(batches).toEqual([]);
      expect(last?.map((c) => [c.stream, c.seq, c.data.toString()])).toEqual([
        ['STDOUT', 0, 'one '],
        ['STDERR', 1, 'two'],
      ]);
      shipper.stdout(Buffer.from('late'));
      await sleep(70);
      expect(batches).toEqual([]);
    });

    it('sends every earlier batch first, in order, and keeps only the last', async () => {
      const { batches, send } = collector();
      const shipper = new LogShipper({ send, batchBytes: 4 });
      shipper.stdout(Buffer.from('aaaabbbbcc'));
      const last = await shipper.closeKeepingLast();
      expect(batches.map((b) => joined(b))).toEqual(['aaaa', 'bbbb']);
      expect(last && joined(last)).toBe('cc');
      expectGapless([...batches.flat(), ...(last ?? [])]);
    });

    it('waits for a batch in flight and answers null when nothing is left', async () => {
      const slow = slowSender();
      const shipper = new LogShipper({ send: slow.send });
      shipper.stdout(Buffer.from('x'));
      shipper.flush();
      expect(await shipper.closeKeepingLast()).toBeNull();
      expect(slow.acked).toBe(true);
    });
  });

  describe('adaptive batching', () => {
    /** Writes `perMs` lines a millisecond (timers permitting) for `forMs`. */
    async function chatty(shipper: LogShipper, perMs: number, forMs: number): Promise<number> {
      const start = performance.now();
      let lines = 0;
      while (performance.now() - start < forMs) {
        const due = Math.floor((performance.now() - start) * perMs);
        for (; lines < due; lines++) shipper.stdout(Buffer.from(`line ${lines}\n`));
        await sleep(1);
      }
      return lines;
    }

    it('sends a quiet job’s line at once when nothing is in flight', async () => {
      const sentAt: number[] = [];
      const shipper = new LogShipper({
        send: async () => {
          sentAt.push(performance.now());
        },
      });
      shipper.stdout(Buffer.from('first'));
      await sleep(80);
      expect(sentAt).toHaveLength(1);
      await sleep(60);
      const written = performance.now();
      shipper.stdout(Buffer.from('quiet line'));
      await sleep(5);
      expect(sentAt).toHaveLength(2);
      expect((sentAt[1] as number) - written).toBeLessThan(5);
      await shipper.close();
    });

    it('coalesces what is written while a send is in flight into the next batch, sent on the ack', async () => {
      const batches: string[] = [];
      const acks: number[] = [];
      const sentAt: number[] = [];
      const shipper = new LogShipper({
        send: async (batch) => {
          sentAt.push(performance.now());
          batches.push(joined(batch));
          await sleep(30);
          acks.push(performance.now());
        },
      });
      shipper.stdout(Buffer.from('a'));
      await sleep(140);
      shipper.stdout(Buffer.from('b'));
      await sleep(1);
      shipper.stdout(Buffer.from('c'));
      shipper.stderr(Buffer.from('d'));
      await shipper.close();
      expect(batches).toEqual(['a', 'b', 'cd']);
      // 'c' and 'd' waited only for the ack of 'b', not for a window.
      expect((sentAt[2] as number) - (acks[1] as number)).toBeLessThan(5);
    });

    it('costs a chatty job no more sends than the fixed window', async () => {
      const count = async (batching: 'adaptive' | 'window') => {
        let sends = 0;
        const shipper = new LogShipper({
          batching,
          send: async () => {
            sends++;
            await sleep(2);
          },
        });
        const lines = await chatty(shipper, 1, 600);
        await shipper.close();
        return { sends, lines };
      };
      const window = await count('window');
      const adaptive = await count('adaptive');
      // Pure send-when-idle would send on every ack, every ~3 ms here: ~200 times.
      expect(adaptive.lines).toBeGreaterThan(500);
      expect(adaptive.sends).toBeLessThanOrEqual(window.sends + 2);
      expect(window.sends).toBeLessThanOrEqual(600 / 50 + 2);
    });

    it('batches a chatty job for a whole window after the last acknowledgement: fewer sends than the fixed window', async () => {
      // 1,000 lines/s, each send acknowledged after 10 ms. The fixed window opens its next batch with
      // the next line (a batch every ~51 ms); spacing sends 50 ms from the last one's start did the
      // same or more. A window from the acknowledgement: a batch every ~60 ms.
      const count = async (batching: 'adaptive' | 'window') => {
        const sentAt: number[] = [];
        const shipper = new LogShipper({
          batching,
          send: async () => {
            sentAt.push(performance.now());
            await sleep(10);
          },
        });
        await chatty(shipper, 1, 1500);
        await shipper.close();
        const gaps = sentAt.slice(1).map((t, i) => t - (sentAt[i] as number));
        return { sends: sentAt.length, shortGaps: gaps.filter((g) => g < 55).length };
      };
      const window = await count('window');
      const adaptive = await count('adaptive');
      expect(adaptive.sends).toBeLessThan(window.sends);
      // The job's first sends, before its rate is known, may be closer.
      expect(adaptive.shortGaps).toBeLessThanOrEqual(4);
    });

    it('the fixed window (the anchor) still holds every line for the window', async () => {
      const sentAt: number[] = [];
      const shipper = new LogShipper({
        batching: 'window',
        send: async () => {
          sentAt.push(performance.now());
        },
      });
      shipper.stdout(Buffer.from('first'));
      await sleep(120);
      const written = performance.now();
      shipper.stdout(Buffer.from('quiet line'));
      await sleep(20);
      expect(sentAt).toHaveLength(1);
      await sleep(50);
      expect(sentAt).toHaveLength(2);
      expect((sentAt[1] as number) - written).toBeGreaterThanOrEqual(45);
      await shipper.close();
    });
  });
});
