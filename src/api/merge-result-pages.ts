/** One page's iterations as the server sends them (`Report.resultPage`: 100 benchmarks at most). */
export interface IterationPage<B> {
  iteration: number;
  benchmarks: readonly B[];
}

/**
 * A report's result pages merged by iteration number, benchmarks in page (name) order within each.
 * The server pages by benchmark, so every page carries every iteration, each with its share.
 */
export function mergeResultPages<I extends IterationPage<unknown>>(pages: readonly (readonly I[])[]): I[] {
  const byIteration = new Map<number, I>();
  for (const page of pages) {
    for (const iteration of page) {
      const merged = byIteration.get(iteration.iteration);
      if (merged)
        byIteration.set(iteration.iteration, {
          ...merged,
          benchmarks: [...merged.benchmarks, ...iteration.benchmarks],
        });
      else byIteration.set(iteration.iteration, { ...iteration, benchmarks: [...iteration.benchmarks] });
    }
  }
  return [...byIteration.values()].sort((a, b) => a.iteration - b.iteration);
}
