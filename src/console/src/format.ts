/** Numbers as the CLI prints them: up to 4 significant decimals, thousands separated. */
export function formatNumber(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  return value.toLocaleString('en-US', { maximumFractionDigits: maxDigits(value) });
}

function maxDigits(value: number): number {
  const abs = Math.abs(value);
  return abs >= 1000 ? 2 : abs >= 1 ? 3 : 4;
}

/** The decimals `value` needs once rounded as formatNumber rounds it (90.00000001 needs none). */
export function fractionDigits(value: number): number {
  const rounded = value.toFixed(maxDigits(value)).replace(/\.?0+$/, '');
  const dot = rounded.indexOf('.');
  return dot < 0 ? 0 : rounded.length - dot - 1;
}

export type NumberFormat = (value: number | null | undefined) => string;

/**
 * One format for every number of a measure, so a column lines up: as many decimals as the most
 * precise of `values` needs (at most formatNumber's), and every value printed with that many.
 */
export function measureFormat(values: Iterable<number | null | undefined>): NumberFormat {
  let digits = 0;
  for (const v of values)
    if (v !== null && v !== undefined && Number.isFinite(v)) digits = Math.max(digits, fractionDigits(v));
  return (value) =>
    value === null || value === undefined || Number.isNaN(value)
      ? '—'
      : value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** measureFormat for each key (a measure's id or slug) from the values seen under it. */
export function measureFormats<T>(
  items: T[],
  key: (item: T) => string,
  values: (item: T) => Array<number | null | undefined>,
): (item: T) => NumberFormat {
  const grouped = new Map<string, Array<number | null | undefined>>();
  for (const item of items) {
    const k = key(item);
    const list = grouped.get(k) ?? [];
    list.push(...values(item));
    grouped.set(k, list);
  }
  const formats = new Map([...grouped].map(([k, list]) => [k, measureFormat(list)]));
  return (item) => formats.get(key(item)) ?? formatNumber;
}

export function formatPercent(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  const sign = value > 0 ? '+' : '';
  return `${sign}${value.toFixed(2)}%`;
}

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return date.toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'medium' });
}

export function formatDuration(fromIso: string | null, toIso: string | null, now = Date.now()): string {
  if (!fromIso) return '—';
  const ms = (toIso ? new Date(toIso).getTime() : now) - new Date(fromIso).getTime();
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${seconds % 60}s`;
  return `${Math.floor(minutes / 60)}h ${minutes % 60}m`;
}

export function shortId(id: string): string {
  return id.slice(0, 8);
}

export function shortHash(hash: string | null | undefined): string {
  return hash ? hash.slice(0, 7) : '—';
}
