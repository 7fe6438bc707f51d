import { useEffect, useState } from 'react';
import { mergeResultPages } from '../../../api/merge-result-pages.js';
import { ApiError, request } from '../api/client.js';
import { ReportPageQuery } from '../api/documents.js';
import type { IterationResult, ResultPage } from '../api/types.js';

export interface ResultPages {
  /** Every page read so far, merged by iteration. */
  results: IterationResult[];
  /** Benchmarks shown so far (per iteration), and whether more are still being read. */
  benchmarks: number;
  loading: boolean;
  error: ApiError | undefined;
}

/**
 * A report's results, all of them: the server sends 100 benchmarks a page, so after the first
 * (which comes with the report) the rest are read one page after another and shown as they come.
 * A new first page (the report was fetched again) starts over.
 */
export function useResultPages(reportId: string, first: ResultPage | undefined): ResultPages {
  const [state, setState] = useState<{ pages: IterationResult[][]; loading: boolean; error?: ApiError }>({
    pages: [],
    loading: false,
  });
  useEffect(() => {
    if (!first) return;
    let live = true;
    setState({ pages: [first.iterations], loading: first.hasNextPage });
    (async () => {
      for (let page = first; page.hasNextPage && page.endCursor && live; ) {
        const next = await request(ReportPageQuery, { id: reportId, after: page.endCursor });
        if (!live) return;
        page = next.report.resultPage;
        const iterations = page.iterations;
        const more = page.hasNextPage;
        setState((s) => ({ pages: [...s.pages, iterations], loading: more }));
      }
    })().catch((error: unknown) => {
      if (!live) return;
      const failed = error instanceof ApiError ? error : new ApiError(String(error), undefined);
      setState((s) => ({ ...s, loading: false, error: failed }));
    });
    return () => {
      live = false;
    };
  }, [reportId, first]);
  const results = mergeResultPages(state.pages);
  return {
    results,
    benchmarks: results[0]?.benchmarks.length ?? 0,
    loading: state.loading,
    error: state.error,
  };
}
