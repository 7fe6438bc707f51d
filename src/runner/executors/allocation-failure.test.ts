import { describe, expect, it } from 'vitest';
import { allocationFailure, StreamTail } from './allocation-failure.js';

const MiB = 1024 * 1024;
const failed = { exitCode: 1, signal: null, timedOut: false, canceled: false };

describe('allocationFailure', () => {
  it('keeps only the last 8 KiB of a stream, across chunks of any size', () => {
    const tail = new StreamTail();
    tail.push(Buffer.from('a'.repeat(10_000)));
    tail.push(Buffer.from('malloc: Cannot allocate memory\n'));
    expect(tail.text()).toBe(`${'a'.repeat(10_000)}malloc: Cannot allocate memory\n`.slice(-8192));
    for (let i = 0; i < 1000; i++) tail.push(Buffer.from('0123456789'));
    expect(tail.text()).toBe('0123456789'.repeat(1000).slice(-8192));
  });

  it('names a failed end with a runtime’s words for a refused allocation, quoting them', () => {
    for (const words of [
      'malloc: Cannot allocate memory',
      "terminate called after throwing an instance of 'std::bad_alloc'",
      'memory allocation of 1073741824 bytes failed',
      'fatal error: runtime: out of memory',
      'MemoryError',
    ]) {
      const limit = allocationFailure(failed, `noise\n${words}\n`, { memoryBytes: 256 * MiB }, 512 * MiB);
      expect(limit?.reason).toBe('OUT_OF_MEMORY');
      expect(limit?.message).toContain(words);
      expect(limit?.message).toContain('256 MiB');
    }
    const aborted = { ...failed, exitCode: null, signal: 'SIGABRT' };
    expect(allocationFailure(aborted, 'std::bad_alloc', { memoryBytes: MiB }, undefined)?.message).toContain(
      'signal SIGABRT',
    );
  });

  it('leaves alone a successful end, a timeout, a cancel, a run without a memory limit and other failures', () => {
    const words = 'out of memory\n';
    const limits = { memoryBytes: 256 * MiB };
    expect(allocationFailure({ ...failed, exitCode: 0 }, words, limits, undefined)).toBeUndefined();
    expect(allocationFailure({ ...failed, timedOut: true }, words, limits, undefined)).toBeUndefined();
    expect(allocationFailure({ ...failed, canceled: true }, words, limits, undefined)).toBeUndefined();
    expect(allocationFailure(failed, words, {}, undefined)).toBeUndefined();
    expect(allocationFailure(failed, 'segmentation fault\n', limits, undefined)).toBeUndefined();
  });
});
