import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Caller } from './auth.js';
import type { RegistryContext } from './context.js';
import { registryError } from './errors.js';

/** One registry request on its way through the routes. */
export interface RegistryRequest {
  ctx: RegistryContext;
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  caller: Caller;
}

export const API_VERSION_HEADER = { 'docker-distribution-api-version': 'registry/2.0' };

export function send(
  res: ServerResponse,
  status: number,
  headers: Record<string, string | number> = {},
  body?: Buffer | string,
): void {
  const length = body === undefined ? 0 : Buffer.byteLength(body);
  res.writeHead(status, { 'content-length': length, ...headers });
  res.end(body);
}

export function sendJson(
  res: ServerResponse,
  status: number,
  value: unknown,
  headers: Record<string, string> = {},
) {
  send(res, status, { 'content-type': 'application/json', ...headers }, JSON.stringify(value));
}

/** Whether the request carries a body (a declared length above zero, or chunked encoding). */
export function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  if (length !== undefined) return Number(length) > 0;
  return req.headers['transfer-encoding'] !== undefined;
}

/** Reads a small body whole; more than `limit` bytes is SIZE_INVALID (and the rest is not read). */
export async function readBody(req: IncomingMessage, limit: number, what: string): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? Number.NaN);
  const tooLarge = () =>
    registryError(
      'SIZE_INVALID',
      `${what} is larger than the ${limit}-byte limit`,
      { limit },
      { status: 413 },
    );
  if (declared > limit) {
    req.resume();
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > limit) {
      req.resume();
      throw tooLarge();
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** `0-<last byte>` as Docker clients read upload progress (`0-0` for an empty upload, as distribution does). */
export function uploadRange(size: number): string {
  return `0-${Math.max(size - 1, 0)}`;
}
