import { Readable } from 'node:stream';
import { createGunzip, createGzip } from 'node:zlib';
import type { LogChunk } from '../live/log-chunks.js';

/**
 * An archived log is gzip-compressed NDJSON, one chunk a line, in seq order:
 * `{"seq":0,"stream":"STDOUT","createdAt":"2026-…Z","data":"<base64>"}`. Plain enough to read
 * with `zcat | jq` when the server is gone; gzip because node:zlib has it on every Node we support.
 */
interface ArchivedLine {
  seq: number;
  stream: string;
  createdAt: string;
  data: string;
}

/** The compressed archive of `pages`, streamed: one page of chunks is in memory at a time. */
export function encodeArchive(pages: AsyncIterable<LogChunk[]>): Readable {
  async function* lines() {
    for await (const page of pages) {
      let text = '';
      for (const chunk of page) {
        const line: ArchivedLine = {
          seq: chunk.seq,
          stream: chunk.stream,
          createdAt: new Date(chunk.created_at).toISOString(),
          data: Buffer.from(chunk.data).toString('base64'),
        };
        text += `${JSON.stringify(line)}\n`;
      }
      if (text) yield Buffer.from(text);
    }
  }
  const gzip = createGzip();
  const source = Readable.from(lines());
  source.on('error', (error) => gzip.destroy(error));
  return source.pipe(gzip);
}

/** The archive's chunks, as the table held them. */
export async function decodeArchive(jobId: string, compressed: Readable): Promise<LogChunk[]> {
  const chunks: LogChunk[] = [];
  let rest = '';
  const gunzip = createGunzip();
  compressed.on('error', (error) => gunzip.destroy(error));
  const take = (line: string) => {
    if (!line) return;
    const parsed = JSON.parse(line) as ArchivedLine;
    chunks.push({
      job_id: jobId,
      seq: parsed.seq,
      stream: parsed.stream,
      created_at: new Date(parsed.createdAt),
      data: Buffer.from(parsed.data, 'base64'),
    });
  };
  for await (const piece of compressed.pipe(gunzip)) {
    rest += piece.toString('utf8');
    const lines = rest.split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) take(line);
  }
  take(rest);
  return chunks;
}
