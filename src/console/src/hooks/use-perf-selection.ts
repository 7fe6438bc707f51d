import { DimensionsQuery } from '../api/documents.js';
import { useQuery } from '../api/use-query.js';
import { navigate, paths, useLocation } from '../router.js';

export const dimensions = ['benchmarks', 'measures', 'branches', 'testbeds'] as const;
export type Dimension = (typeof dimensions)[number];

export interface Option {
  slug: string;
  name: string;
}

/**
 * What the perf plot shows lives in the URL (?benchmarks=a,b&measures=…), so a plot can be
 * shared. A dimension left out of the URL falls back to its first option.
 */
export function usePerfSelection(project: string) {
  const { query } = useLocation();
  const options = useQuery(DimensionsQuery, { project });
  const available: Record<Dimension, Option[]> = {
    benchmarks: options.data?.benchmarks.edges.map((e) => e.node) ?? [],
    measures: options.data?.measures.edges.map((e) => e.node) ?? [],
    branches: options.data?.branches.edges.map((e) => e.node) ?? [],
    testbeds: options.data?.testbeds.edges.map((e) => e.node) ?? [],
  };
  const chosen = {} as Record<Dimension, string[]>;
  for (const d of dimensions) {
    const raw = query.get(d);
    chosen[d] = raw !== null ? raw.split(',').filter(Boolean) : available[d].slice(0, 1).map((o) => o.slug);
  }
  const from = query.get('from');
  const to = query.get('to');
  // A zoomed plot's exact range (ISO timestamps), dragged on the plot; it wins over the dates.
  const zoomFrom = query.get('zoomFrom');
  const zoomTo = query.get('zoomTo');
  const zoom = zoomFrom && zoomTo ? { from: zoomFrom, to: zoomTo } : null;

  const update = (
    changes: Partial<Record<Dimension, string[]>> & {
      from?: string | null;
      to?: string | null;
      zoom?: { from: string; to: string } | null;
    },
  ) => {
    const next = new URLSearchParams();
    for (const d of dimensions) next.set(d, (changes[d] ?? chosen[d]).join(','));
    const f = changes.from !== undefined ? changes.from : from;
    const t = changes.to !== undefined ? changes.to : to;
    if (f) next.set('from', f);
    if (t) next.set('to', t);
    // New dates end a zoom; other choices keep it.
    const z =
      changes.zoom !== undefined
        ? changes.zoom
        : changes.from !== undefined || changes.to !== undefined
          ? null
          : zoom;
    if (z) {
      next.set('zoomFrom', z.from);
      next.set('zoomTo', z.to);
    }
    navigate(paths.perf(project, next), { replace: true });
  };

  const toggle = (d: Dimension, slug: string) =>
    update({ [d]: chosen[d].includes(slug) ? chosen[d].filter((s) => s !== slug) : [...chosen[d], slug] });

  return { available, chosen, from, to, zoom, update, toggle, error: options.error, ready: !!options.data };
}
