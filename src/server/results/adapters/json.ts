import { AdapterParseError, defineAdapter } from './adapter.js';
import { parseBmfJson } from './bmf.js';

/** Bencher Metric Format, passed through after strict validation. */
export const json = defineAdapter('json', (output) => {
  const result = parseBmfJson(output);
  if (!result.ok) {
    throw new AdapterParseError(
      'json',
      `json expects Bencher Metric Format such as {"my_bench": {"latency": {"value": 88.0}}}: ${result.error}`,
    );
  }
  return result.bmf;
});
