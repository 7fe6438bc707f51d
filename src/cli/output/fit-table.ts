/** One column of a table before it is fitted to the terminal. */
export interface TableColumn {
  header: string;
  cells: string[];
  right?: boolean;
  /** Cut with an ellipsis down to this width when the table is too wide (names, verdicts). */
  min?: number;
  /** Which cut column gives its room first: lower numbers (ties: widest first). */
  cut?: number;
  /** Left out, with the rest of its drop group, when a fit step says so (the history sparkline). */
  drop?: number;
}

export interface FittedColumn extends TableColumn {
  width: number;
  /** The column's position in the table it was fitted from. */
  index: number;
}

export const GAP = 2;

/** One thing to give up when the table is too wide: cutting the cut columns, or a droppable group. */
export type FitStep = 'cut' | { drop: number };

/**
 * The columns that fit `width` terminal cells, each with its width and cells cut to it: a row is
 * never broken across lines. The steps are taken in order until the table fits: `cut` shrinks the
 * cut columns, in their order, to their minimums; `{ drop: n }` leaves out the columns of that drop
 * group (and cuts again with the room they left, once cutting has started). A table still too wide
 * after every step keeps its minimums and lets the terminal cut it.
 */
export function fitTable(
  columns: TableColumn[],
  width: number = Number.POSITIVE_INFINITY,
  steps: FitStep[] = ['cut', ...dropGroups(columns).map((drop) => ({ drop }))],
): FittedColumn[] {
  const dropped = new Set<number>();
  let cutting = false;
  let fitted = shrink(columns, dropped, Number.POSITIVE_INFINITY);
  for (const step of steps) {
    if (total(fitted) <= width) break;
    if (step === 'cut') cutting = true;
    else dropped.add(step.drop);
    fitted = shrink(columns, dropped, cutting ? width : Number.POSITIVE_INFINITY);
  }
  return fitted;
}

function dropGroups(columns: TableColumn[]): number[] {
  return [...new Set(columns.flatMap((c) => (c.drop === undefined ? [] : [c.drop])))].sort((a, b) => a - b);
}

function shrink(columns: TableColumn[], dropped: Set<number>, width: number): FittedColumn[] {
  const kept = columns
    .map((column, index) => ({ ...column, index, width: naturalWidth(column) }))
    .filter((c) => c.drop === undefined || !dropped.has(c.drop));
  let over = total(kept) - width;
  while (over > 0) {
    const next = kept
      .filter((c) => c.min !== undefined && c.width > c.min)
      .reduce<FittedColumn | null>((a, c) => (a && before(a, c) ? a : c), null);
    if (!next) break;
    next.width--;
    over--;
  }
  return kept.map((c) => ({
    ...c,
    header: cut(c.header, c.width),
    cells: c.cells.map((t) => cut(t, c.width)),
  }));
}

function before(a: FittedColumn, b: FittedColumn): boolean {
  const order = (a.cut ?? 0) - (b.cut ?? 0);
  return order !== 0 ? order < 0 : a.width >= b.width;
}

function naturalWidth(column: TableColumn): number {
  return Math.max(textWidth(column.header), ...column.cells.map(textWidth));
}

function total(columns: FittedColumn[]): number {
  return columns.reduce((sum, c) => sum + c.width, 0) + GAP * Math.max(0, columns.length - 1);
}

/** Terminal cells of a string: one per code point (the table holds no wide characters). */
export function textWidth(text: string): number {
  return [...text].length;
}

/** The text cut to `width` cells, its last one an ellipsis when anything was cut. */
export function cut(text: string, width: number): string {
  const chars = [...text];
  if (chars.length <= width) return text;
  return width <= 0 ? '' : `${chars.slice(0, width - 1).join('')}…`;
}

export function pad(text: string, width: number, right = false): string {
  const room = ' '.repeat(Math.max(0, width - textWidth(text)));
  return right ? room + text : text + room;
}

/** A fitted table as plain lines: header, a rule, then one line per row. */
export function fittedLines(columns: FittedColumn[]): string[] {
  const rows = columns[0]?.cells.length ?? 0;
  const line = (cell: (c: FittedColumn) => string) =>
    columns
      .map((c) => pad(cell(c), c.width, c.right))
      .join(' '.repeat(GAP))
      .trimEnd();
  return [
    line((c) => c.header),
    line((c) => '-'.repeat(c.width)),
    ...Array.from({ length: rows }, (_, r) => line((c) => c.cells[r])),
  ];
}
