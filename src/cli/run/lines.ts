import type { LogStream } from './types.js';

/** Chunks arrive cut anywhere; renderers want whole lines, per stream. */
export class LineSplitter {
  private partial: Record<LogStream, string> = { STDOUT: '', STDERR: '' };

  push(stream: LogStream, text: string): string[] {
    const parts = (this.partial[stream] + text).replaceAll('\r\n', '\n').split('\n');
    this.partial[stream] = parts.pop() ?? '';
    return parts;
  }

  /** What is left without a newline at the end. */
  flush(): Array<{ stream: LogStream; line: string }> {
    const rest = (['STDOUT', 'STDERR'] as const)
      .filter((s) => this.partial[s] !== '')
      .map((stream) => ({ stream, line: this.partial[stream] }));
    this.partial = { STDOUT: '', STDERR: '' };
    return rest;
  }
}
