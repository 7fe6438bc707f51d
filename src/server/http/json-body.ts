import type { IncomingMessage } from 'node:http';

/**
 * The largest request body, here and in yoga (which guards what this does not read). A runner's
 * completeJob carries its result files (up to 25 MiB each) and stdout, so yoga's default of 25 MB
 * would refuse a single file at its limit; the runner keeps a completion under
 * MAX_COMPLETION_BYTES (src/runner/operations.ts), a little below this.
 */
export const MAX_REQUEST_BYTES = 64 * 1024 * 1024;

/**
 * Reads a JSON POST body into `req.body` before yoga sees the request. whatwg-node then hands yoga
 * the parsed object instead of a web stream piped through yoga's size-limiting TransformStream,
 * which cost a runner's small mutations more CPU than executing them. Only bodies with a
 * Content-Length within the limit are read here; anything else, and a body that is not a JSON
 * object, goes to yoga as it would have, so its checks and error answers stay the same.
 */
export async function readJsonBody(req: IncomingMessage): Promise<'read' | 'skipped' | 'client-gone'> {
  if (req.method !== 'POST' || !req.headers['content-type']?.startsWith('application/json')) return 'skipped';
  const declared = req.headers['content-length'];
  if (!declared || !/^\d+$/.test(declared) || Number(declared) > MAX_REQUEST_BYTES) return 'skipped';
  const raw = await readAll(req);
  if (!raw) return 'client-gone';
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const usable =
    typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) && Object.keys(parsed).length > 0;
  (req as IncomingMessage & { body?: unknown }).body = usable ? parsed : raw;
  return 'read';
}

// Plain stream events: an async iterator over the request costs more than the small bodies it reads.
// null: the client went away mid-body (no 'end' comes, and the request must not wait forever).
// The listeners go once the body is read: a long-poll holds its request for up to a minute, and
// they kept the body's chunks (and the socket read they are slices of) alive all that time.
function readAll(req: IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const onData = (chunk: Buffer) => chunks.push(chunk);
    const done = (body: Buffer | null) => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
      // A request that has no 'error' listener throws its error; one after the body is of no interest.
      req.on('error', ignore);
      resolve(body);
    };
    const onEnd = () => done(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
    const onError = () => done(null);
    const onClose = () => {
      if (!req.complete) done(null);
    };
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('error', onError);
    req.once('close', onClose);
  });
}

function ignore(): void {}
