import { afterEach, describe, expect, it, vi } from 'vitest';
import { MemoryEventBus } from '../events/memory.js';
import { ClaimWaiters, type WakeUp } from './claim-waiters.js';
import type { Claimed } from './claimed-spec.js';

const claimedFor = (runnerId: string) =>
  ({ job: { id: `job of ${runnerId}`, runner_id: runnerId } }) as Claimed;
const tick = () => new Promise((r) => setTimeout(r, 5));

/** Resolves to the wake-up, or 'pending' if the sleep has not ended yet. */
async function state(sleep: Promise<WakeUp>): Promise<WakeUp | 'pending'> {
  return Promise.race([sleep, tick().then(() => 'pending' as const)]);
}

function setup() {
  const bus = new MemoryEventBus();
  // 5 ms: these tests wait for timeouts of 10 ms; the server's default is 100 ms.
  const waiters = new ClaimWaiters(bus, 5);
  return { bus, waiters };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('ClaimWaiters', () => {
  it('reserves only runners asleep between claim attempts', () => {
    const { waiters } = setup();
    const attempting = waiters.register(['s1'], 'r1');
    expect(waiters.reserve()).toBeNull();
    void waiters.register(['s1'], 'r2').sleep(1000);
    const reservation = waiters.reserve();
    expect(reservation?.candidates.map((c) => c.runnerId)).toEqual(['r2']);
    // Held: a second job being created meanwhile finds nobody free.
    expect(waiters.reserve()).toBeNull();
    reservation?.release();
    attempting.stop();
    expect(waiters.reserve()?.candidates.map((c) => c.runnerId)).toEqual(['r2']);
  });

  it('tells the creating statement which candidates asked for their job started', () => {
    const { waiters } = setup();
    void waiters.register(['s1'], 'r1', true).sleep(1000);
    void waiters.register(['s2'], 'r2').sleep(1000);
    expect(waiters.reserve()?.candidates.map((c) => [c.runnerId, c.start])).toEqual([
      ['r1', true],
      ['r2', false],
    ]);
  });

  it('reserves only the longest-waiting sleeper of each spec, however many sleep', async () => {
    const { waiters } = setup();
    const sleeps = Array.from({ length: 1000 }, (_, i) => waiters.register(['s1'], `a${i}`).sleep(1000));
    void waiters.register(['s2', 's1'], 'b').sleep(1000);
    const reservation = waiters.reserve();
    expect(reservation?.candidates.map((c) => c.runnerId)).toEqual(['a0', 'b']);
    // The others still hear wake-ups while the job is being created.
    waiters.nudge('s1');
    expect(await state(sleeps[1]!)).toEqual({ kind: 'event', specId: 's1' });
    expect(await state(sleeps[0]!)).toBe('pending');
    reservation?.release();
    waiters.nudge('s1');
    expect(await state(sleeps[0]!)).toEqual({ kind: 'event', specId: 's1' });
    expect(waiters.size).toBe(999);
  });

  it('hands the job to its runner and lets the others sleep on', async () => {
    const { waiters } = setup();
    const first = waiters.register(['s1'], 'r1').sleep(1000);
    const second = waiters.register(['s2'], 'r2').sleep(1000);
    waiters.reserve()?.deliver('r2', claimedFor('r2'));
    expect(await state(second)).toEqual({ kind: 'handed', claimed: claimedFor('r2') });
    expect(await state(first)).toBe('pending');
    waiters.nudge('s1');
    expect(await state(first)).toEqual({ kind: 'event', specId: 's1' });
  });

  it('keeps events from reserved runners and replays them when the reservation ends', async () => {
    const { waiters } = setup();
    const sleeper = waiters.register(['s1'], 'r1').sleep(1000);
    const reservation = waiters.reserve();
    waiters.nudge('s1');
    expect(await state(sleeper)).toBe('pending');
    reservation?.release();
    expect(await state(sleeper)).toEqual({ kind: 'event', specId: 's1' });
  });

  it('lets a runner whose time ran out while reserved finish when the reservation ends', async () => {
    const { waiters } = setup();
    const released = waiters.register(['s1'], 'r1').sleep(10);
    const handed = waiters.register(['s2'], 'r2').sleep(10);
    const reservation = waiters.reserve();
    await new Promise((r) => setTimeout(r, 30));
    expect(await state(released)).toBe('pending');
    expect(await state(handed)).toBe('pending');
    // The job was claimed for r2 by a committed statement: r2 gets it even past its time.
    reservation?.deliver('r2', claimedFor('r2'));
    expect(await state(handed)).toEqual({ kind: 'handed', claimed: claimedFor('r2') });
    expect(await state(released)).toEqual({ kind: 'timeout' });
    expect(waiters.size).toBe(0);
  });

  it('answers a wake-up that came during the claim attempt at once, and never hands that claimer a job', async () => {
    const { waiters } = setup();
    const registration = waiters.register(['s1'], 'r1');
    waiters.nudge('s1');
    expect(waiters.reserve()).toBeNull();
    expect(await registration.sleep(1000)).toEqual({ kind: 'event', specId: 's1' });
  });

  it('ends a sleep when the caller goes away', async () => {
    const { waiters } = setup();
    const controller = new AbortController();
    const sleeper = waiters.register(['s1'], 'r1').sleep(1000, controller.signal);
    controller.abort();
    expect(await state(sleeper)).toEqual({ kind: 'timeout' });
    expect(waiters.reserve()).toBeNull();
  });

  it('holds 10,000 sleepers on one timer, and keeps nothing of those woken', async () => {
    const { waiters } = setup();
    const armed = vi.spyOn(globalThis, 'setTimeout');
    const cleared = vi.spyOn(globalThis, 'clearTimeout');
    const live = () => armed.mock.calls.length - cleared.mock.calls.length;
    const sleeps = Array.from({ length: 10_000 }, (_, i) =>
      waiters.register(['s1'], `r${i}`).sleep(60_000 - (i % 1000), new AbortController().signal),
    );
    // A timer per sleeper was 10,000 Timeouts and their closures held for the whole wait. An
    // earlier deadline re-arms the one timer: at most once per bucket (5 ms here), not per sleeper.
    expect(live()).toBe(1);
    expect(armed.mock.calls.length).toBeLessThanOrEqual(1000 / 5 + 1);
    expect(waiters.deadlines.size).toBe(10_000);
    for (let i = 0; i < 9_000; i++) waiters.nudge('s1');
    expect(waiters.deadlines.size).toBe(1_000);
    expect(live()).toBe(1);
    expect(await state(sleeps[8_999]!)).toEqual({ kind: 'event', specId: 's1' });
    expect(await state(sleeps[9_000]!)).toBe('pending');
    waiters.wakeAll();
    expect(waiters.deadlines.size).toBe(0);
    expect(await state(sleeps[9_999]!)).toEqual({ kind: 'event', specId: null });
  });

  it('times sleepers out in order of their deadlines, none early', async () => {
    const { waiters } = setup();
    const started = performance.now();
    const ended: Array<[string, number]> = [];
    const sleep = (name: string, ms: number) =>
      waiters
        .register(['s1'], name)
        .sleep(ms)
        .then((wake) => {
          expect(wake).toEqual({ kind: 'timeout' });
          ended.push([name, performance.now() - started]);
        });
    await Promise.all([sleep('late', 60), sleep('early', 10), sleep('middle', 30)]);
    expect(ended.map(([name]) => name)).toEqual(['early', 'middle', 'late']);
    for (const [name, at] of ended)
      expect(at).toBeGreaterThanOrEqual({ early: 10, middle: 30, late: 60 }[name]! - 1);
    expect(waiters.size).toBe(0);
  });

  it('forgets the abort listener of a sleeper woken by an event', async () => {
    const { waiters } = setup();
    const controller = new AbortController();
    const added = vi.spyOn(controller.signal, 'addEventListener');
    const removed = vi.spyOn(controller.signal, 'removeEventListener');
    const sleeper = waiters.register(['s1'], 'r1').sleep(1000, controller.signal);
    waiters.nudge('s1');
    expect(await sleeper).toEqual({ kind: 'event', specId: 's1' });
    expect(added).toHaveBeenCalledTimes(1);
    expect(removed).toHaveBeenCalledWith('abort', added.mock.calls[0]![1]);
  });
});
