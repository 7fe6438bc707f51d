import { describe, expect, it } from 'vitest';
import { bucketOf, downsample, mustKeep, type SamplePoint } from './downsample.js';

const minute = 60_000_000;

/** A series one point a minute, values from `value(i)`. */
function series(
  n: number,
  value: (i: number) => number,
  extra: (i: number) => Partial<SamplePoint> = () => ({}),
) {
  return Array.from({ length: n }, (_, i) => ({
    time: i * minute,
    iteration: 0,
    value: value(i),
    ...extra(i),
  }));
}

describe('downsample', () => {
  it('returns a series of at most 2 × columns points whole', () => {
    const s = series(20, (i) => i);
    expect(downsample(s, 10)).toEqual(s);
    expect(downsample(s, 9)).not.toEqual(s);
  });

  it("keeps each column's lowest and highest point and the series' ends", () => {
    // 1,000 points, 10 columns of 100: a dip and a spike hidden in each column.
    const s = series(1_000, (i) => (i % 100 === 37 ? -1 - i : i % 100 === 71 ? 1e6 + i : 100 + (i % 7)));
    const kept = downsample(s, 10);
    for (let c = 0; c < 10; c++) {
      expect(kept).toContainEqual(s[c * 100 + 37]);
      expect(kept).toContainEqual(s[c * 100 + 71]);
    }
    expect(kept[0]).toBe(s[0]);
    expect(kept.at(-1)).toBe(s.at(-1));
    expect(kept.length).toBe(22);
    // In time order, each column's extremes really are its minimum and maximum.
    expect(kept.map((p) => p.time)).toEqual([...kept.map((p) => p.time)].sort((a, b) => a - b));
    for (let c = 0; c < 10; c++) {
      const column = s.slice(c * 100, c * 100 + 100);
      const inColumn = kept.filter((p) => bucketOf(p.time, 0, s.at(-1)!.time, 10) === c);
      expect(Math.min(...inColumn.map((p) => p.value))).toBe(Math.min(...column.map((p) => p.value)));
      expect(Math.max(...inColumn.map((p) => p.value))).toBe(Math.max(...column.map((p) => p.value)));
    }
  });

  it('keeps every alert point, even one that is neither its column’s lowest nor highest', () => {
    const alerts = new Set([5, 333, 334, 335, 999 - 3]);
    const s = series(
      1_000,
      (i) => (i % 2 ? 100 : 200),
      (i) => ({ alert: alerts.has(i) }),
    );
    const kept = downsample(s, 4);
    for (const i of alerts) expect(kept).toContainEqual(s[i]);
  });

  it('keeps every boundary crossing: a value outside the limits it was checked against', () => {
    const s = series(
      2_000,
      (i) => (i === 1_234 ? 111 : i === 1_500 ? 89 : 100 + (i % 3)),
      () => ({ lowerLimit: 90, upperLimit: 110 }),
    );
    // Put a taller spike in the same columns, so neither crossing is its column's extreme.
    s[1_235].value = 500;
    s[1_501].value = 1;
    const kept = downsample(s, 5);
    expect(kept).toContainEqual(s[1_234]);
    expect(kept).toContainEqual(s[1_500]);
    expect(mustKeep(s[1_234])).toBe(true);
    expect(mustKeep(s[1_500])).toBe(true);
    expect(mustKeep(s[1_236])).toBe(false);
  });

  it('breaks ties as the SQL does: the earliest lowest and the latest highest point', () => {
    const s = series(100, () => 7);
    const kept = downsample(s, 1);
    expect(kept).toEqual([s[0], s[99]]);
  });

  it('puts the last point in the last column and a single instant in the first', () => {
    expect(bucketOf(100, 0, 100, 10)).toBe(9);
    expect(bucketOf(99.99, 0, 100, 10)).toBe(9);
    expect(bucketOf(10, 0, 100, 10)).toBe(1);
    expect(bucketOf(5, 5, 5, 10)).toBe(0);
  });

  it('refuses a resolution that is not a positive whole number', () => {
    expect(() =>
      downsample(
        series(3, (i) => i),
        0,
      ),
    ).toThrow(RangeError);
    expect(() =>
      downsample(
        series(3, (i) => i),
        1.5,
      ),
    ).toThrow(RangeError);
  });
});
