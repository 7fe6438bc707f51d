import { describe, expect, it } from 'vitest';
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
  const waiters = new ClaimWaiters(bus);
  return { bus, waiters };
}

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
});
