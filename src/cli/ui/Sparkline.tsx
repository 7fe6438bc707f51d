import { Text } from 'ink';
import { sparkline } from '../output/sparkline.js';

export function Sparkline({ values, width = 12 }: { values: number[]; width?: number }) {
  return <Text color="cyan">{sparkline(values, width)}</Text>;
}
