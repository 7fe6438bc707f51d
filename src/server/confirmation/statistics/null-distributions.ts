import signrankCdf from '@stdlib/stats-base-dists-signrank-cdf';

/*
 * Exact permutation distributions of rank sums. @stdlib has the signed-rank CDF without ties (used
 * below where its counts stay exact integers); no maintained npm package has the Mann–Whitney
 * distribution or either one conditional on ties, so those are hand-written here as the classic
 * dynamic programmes over the (doubled) ranks.
 */

/** Where @stdlib's memoised recursion counts in exact integers (2^n ≤ 2^53) and scipy uses its exact test. */
const STDLIB_SIGNRANK_MAX_N = 50;

/**
 * Probability of each positive-rank sum s (index s) when each weight independently counts with
 * probability ½ — the sign-flip null of the signed-rank test, conditional on the observed ranks.
 */
export function signFlipDistribution(weights: readonly number[]): Float64Array {
  const total = weights.reduce((a, b) => a + b, 0);
  const p = new Float64Array(total + 1);
  p[0] = 1;
  let reach = 0;
  for (const w of weights) {
    reach += w;
    // In place, from the top: p[s − w] is still the previous weight's value when p[s] reads it.
    for (let s = reach; s >= w; s--) p[s] = (p[s] + p[s - w]) / 2;
    for (let s = w - 1; s >= 0; s--) p[s] /= 2;
  }
  return p;
}

/**
 * Probability of each sum s (index s) of `k` weights drawn without replacement from `weights`, all
 * C(N, k) draws equally likely — the Mann–Whitney null, conditional on the observed ranks.
 * Counts are doubles: past 2^53 they round, relatively, at 1e-16, which no p-value here notices.
 */
export function subsetSumDistribution(weights: readonly number[], k: number): Float64Array {
  const total = weights.reduce((a, b) => a + b, 0);
  // ways[j][s]: draws of j of the weights seen so far summing to s.
  const ways = Array.from({ length: k + 1 }, () => new Float64Array(total + 1));
  ways[0][0] = 1;
  let reach = 0;
  for (const w of weights) {
    reach += w;
    for (let j = k; j >= 1; j--) {
      const row = ways[j];
      const prev = ways[j - 1];
      for (let s = reach; s >= w; s--) if (prev[s - w] !== 0) row[s] += prev[s - w];
    }
  }
  const counts = ways[k];
  let all = 0;
  for (let s = 0; s <= total; s++) all += counts[s];
  return counts.map((c) => c / all);
}

/** Tables cached only for designs a confirmation uses, so odd large calls cannot pin memory. */
const MAX_CACHED_TABLE = 4_096;
const untiedSignedRank = new Map<number, Float64Array>();

/** P(T+ = t) for t = 0…n(n+1)/2, the signed-rank statistic of n untied, non-zero differences. */
export function signedRankPmf(n: number): Float64Array {
  let pmf = untiedSignedRank.get(n);
  if (!pmf) {
    if (n <= STDLIB_SIGNRANK_MAX_N) {
      const max = (n * (n + 1)) / 2;
      const cdf = (t: number) => (t < 0 ? 0 : n === 0 ? 1 : signrankCdf(t, n));
      // Differences of the lower half only, mirrored: the upper half's CDF is near 1 and would
      // cancel the digits of the small tail probabilities away.
      const table = new Float64Array(max + 1);
      for (let t = 0; t <= max / 2; t++) table[t] = table[max - t] = cdf(t) - cdf(t - 1);
      pmf = table;
    } else {
      pmf = signFlipDistribution(Array.from({ length: n }, (_, i) => i + 1));
    }
    if (pmf.length <= MAX_CACHED_TABLE) untiedSignedRank.set(n, pmf);
  }
  return pmf;
}

const untiedMannWhitney = new Map<string, Float64Array>();

/** P(U = u) for u = 0…m·n, the Mann–Whitney statistic of untied samples of sizes m and n. */
export function mannWhitneyPmf(m: number, n: number): Float64Array {
  const key = `${m}/${n}`;
  let pmf = untiedMannWhitney.get(key);
  if (!pmf) {
    const rankSums = subsetSumDistribution(
      Array.from({ length: m + n }, (_, i) => i + 1),
      m,
    );
    // U = rank sum − m(m+1)/2, so the table starts at the smallest possible rank sum.
    pmf = rankSums.slice((m * (m + 1)) / 2, (m * (m + 1)) / 2 + m * n + 1);
    if (pmf.length <= MAX_CACHED_TABLE) untiedMannWhitney.set(key, pmf);
  }
  return pmf;
}

/** P(X ≤ x) and P(X ≥ x) from a table, each summed from its own tail so small p-values keep their digits. */
export function lowerTail(pmf: ArrayLike<number>, x: number): number {
  let p = 0;
  for (let s = 0; s <= Math.min(x, pmf.length - 1); s++) p += pmf[s];
  return Math.min(1, p);
}

export function upperTail(pmf: ArrayLike<number>, x: number): number {
  let p = 0;
  for (let s = pmf.length - 1; s >= Math.max(x, 0); s--) p += pmf[s];
  return Math.min(1, p);
}
