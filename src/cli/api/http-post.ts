// The CLI's HTTP POST, on node:http. Global fetch would do, but its first call loads Node's bundled
// undici, its WASM HTTP parser and the web streams: about as much CPU as the rest of a detached
// `benchline run` (docs/figures.md). Only what the API client reads of a Response is kept.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

const SILENCE_MS = 300_000;

export interface PostResponse {
  status: number;
  headers: { get(name: string): string | null };
  json(): Promise<unknown>;
}

export type Post = (
  url: string,
  init: { headers: Record<string, string>; body: string },
) => Promise<PostResponse>;

/**
 * Rejects like fetch does when no answer came: a TypeError whose `cause` has the system error's
 * code (ECONNREFUSED …), which the client reads to tell "never sent" from "lost on the way".
 */
export const httpPost: Post = (url, init) =>
  new Promise((resolve, reject) => {
    const target = new URL(url);
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const body = Buffer.from(init.body);
    const request = send(
      target,
      { method: 'POST', headers: { ...init.headers, 'content-length': String(body.length) } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', (error) => reject(new TypeError('fetch failed', { cause: error })));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: response.statusCode ?? 0,
            headers: {
              get(name) {
                const value = response.headers[name.toLowerCase()];
                return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
              },
            },
            json: async () => JSON.parse(text),
          });
        });
      },
    );
    request.on('error', (error) => reject(new TypeError('fetch failed', { cause: error })));
    // fetch's (undici's) own limit on a silent server, kept: without it a dead peer would hang the CLI.
    request.setTimeout(SILENCE_MS, () =>
      request.destroy(new Error(`no answer within ${SILENCE_MS / 1000} s`)),
    );
    request.end(body);
  });
