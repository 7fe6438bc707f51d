import { measureFormat } from '../format.js';

/**
 * Both arms of a confirmation as two rows of dots on one scale: each round's head value above,
 * the baseline's below, so a reader sees at a glance whether the two clouds are apart.
 */
export function StripPlot({ head, base }: { head: Array<number | null>; base: Array<number | null> }) {
  const values = [...head, ...base].filter((v): v is number => v !== null && Number.isFinite(v));
  if (!values.length) return null;
  const width = 180;
  const height = 34;
  const pad = 6;
  const min = Math.min(...values);
  const max = Math.max(...values);
  const format = measureFormat(values);
  const list = (arm: Array<number | null>) => arm.map((v) => (v === null ? 'none' : format(v))).join(', ');
  // The dots are a picture; their label is the text alternative, every round's value in words.
  const label = `Values per round, head: ${list(head)}; baseline: ${list(base)}`;
  const x = (v: number) => (max === min ? width / 2 : pad + ((v - min) / (max - min)) * (width - 2 * pad));
  const row = (arm: 'head' | 'base', list: Array<number | null>, y: number) =>
    list.map((v, i) =>
      v === null ? null : (
        <circle
          key={`${arm}${i}`}
          className={`strip-${arm}`}
          data-arm={arm}
          data-value={v}
          cx={x(v)}
          cy={y}
          r={3}
        >
          <title>{`round ${i + 1}, ${arm}: ${format(v)}`}</title>
        </circle>
      ),
    );
  return (
    <svg
      className="strip-plot"
      data-testid="strip-plot"
      width={width + 30}
      height={height}
      role="img"
      aria-label={label}
    >
      <text x={0} y={11} className="strip-label">
        head
      </text>
      <text x={0} y={29} className="strip-label">
        base
      </text>
      <g transform="translate(30 0)">
        {row('head', head, 8)}
        {row('base', base, 26)}
      </g>
    </svg>
  );
}
