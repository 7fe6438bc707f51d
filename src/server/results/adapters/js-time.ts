import { defineAdapter, requireAverage } from './adapter.js';
import { LATENCY } from './measures.js';
import { BmfBuilder, durationNanos, lines, TIME_UNIT, trailingTokens } from './parse-util.js';

const DURATION = new RegExp(`^([0-9.,]+)(${TIME_UNIT})$`);

/** `<label>: 1234ms - timer ended`, what `console.time`/`console.timeEnd` print in browsers. */
export const jsTime = defineAdapter('js_time', (output, options) => {
  requireAverage('js_time', options, []);
  const bmf = new BmfBuilder('js_time');
  for (const line of lines(output)) {
    const t = trailingTokens(line, 4);
    if (t?.tokens[1] !== '-' || t.tokens[2] !== 'timer' || t.tokens[3] !== 'ended') continue;
    const d = DURATION.exec(t.tokens[0]!);
    // The label ends with the colon right before the blank, as in `label: 12ms`.
    if (!d || !t.head.endsWith(':')) continue;
    const value = durationNanos(d[1], d[2]);
    const name = t.head.slice(0, -1);
    if (value !== undefined && name.trim()) bmf.add(name, LATENCY, { value });
  }
  return bmf.build(
    'no `<label>: <n>ms - timer ended` lines found in the output of js_time ' +
      '(expected console.time/console.timeEnd output such as `render: 1234ms - timer ended`)',
  );
});
