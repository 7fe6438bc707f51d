/**
 * Twice the average ranks (1-based) of `values`, so tied groups keep integer ranks: a group over
 * positions i..j gets i + j. The exact null distributions are then tables indexed by integers, even
 * with ties, and no float rounding can move a statistic across a table cell.
 */
export function doubledMidranks(values: readonly number[]): { ranks: number[]; ties: boolean } {
  const order = values.map((_, i) => i).sort((a, b) => values[a] - values[b]);
  const ranks = new Array<number>(values.length);
  let ties = false;
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && values[order[end + 1]] === values[order[start]]) end++;
    if (end > start) ties = true;
    for (let k = start; k <= end; k++) ranks[order[k]] = start + 1 + end + 1;
    start = end + 1;
  }
  return { ranks, ties };
}

/** log C(n, k), for the attainable p-values of large designs without overflow. */
export function logBinomial(n: number, k: number): number {
  let sum = 0;
  for (let i = 1; i <= k; i++) sum += Math.log(n - k + i) - Math.log(i);
  return sum;
}
