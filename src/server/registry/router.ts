import type { IncomingMessage, ServerResponse } from 'node:http';
import { challenge, identify } from './auth.js';
import type { RegistryContext } from './context.js';
import { RegistryError, registryError, sendRegistryError } from './errors.js';
import { API_VERSION_HEADER, type RegistryRequest, sendJson } from './http.js';
import { deleteBlob, getBlob } from './routes/blobs.js';
import { getManifest, putManifest, removeManifest } from './routes/manifests.js';
import { listReferrers } from './routes/referrers.js';
import { listTags } from './routes/tags.js';
import { issueToken } from './routes/token.js';
import { handleUpload, startUpload } from './routes/uploads.js';

type Handler = (r: RegistryRequest, name: string, param: string) => Promise<void>;

interface Endpoint {
  pattern: RegExp;
  methods: Partial<Record<string, Handler>>;
}

// Repository names contain slashes, so each pattern anchors on its suffix.
const ENDPOINTS: Endpoint[] = [
  { pattern: /^\/v2\/(.+)\/blobs\/uploads\/?()$/, methods: { POST: (r, n) => startUpload(r, n) } },
  {
    pattern: /^\/v2\/(.+)\/blobs\/uploads\/([^/]+)$/,
    methods: { GET: handleUpload, PATCH: handleUpload, PUT: handleUpload, DELETE: handleUpload },
  },
  { pattern: /^\/v2\/(.+)\/blobs\/([^/]+)$/, methods: { GET: getBlob, HEAD: getBlob, DELETE: deleteBlob } },
  {
    pattern: /^\/v2\/(.+)\/manifests\/([^/]+)$/,
    methods: { GET: getManifest, HEAD: getManifest, PUT: putManifest, DELETE: removeManifest },
  },
  { pattern: /^\/v2\/(.+)\/tags\/list()$/, methods: { GET: (r, n) => listTags(r, n) } },
  { pattern: /^\/v2\/(.+)\/referrers\/([^/]+)$/, methods: { GET: listReferrers } },
];

/** Handles everything under /v2; answers false for other paths. */
export async function handleRegistryRequest(
  ctx: RegistryContext,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<boolean> {
  const url = new URL(req.url ?? '/', 'http://registry.invalid');
  const path = url.pathname;
  if (path !== '/v2' && !path.startsWith('/v2/')) return false;
  for (const [key, value] of Object.entries(API_VERSION_HEADER)) res.setHeader(key, value);
  const head = req.method === 'HEAD';
  try {
    if (path === '/v2/token') {
      if (req.method !== 'GET' && req.method !== 'POST')
        throw registryError('UNSUPPORTED', 'use GET or POST');
      await issueToken(ctx, req, res, url);
      return true;
    }
    const caller = await identify(ctx, req);
    if (path === '/v2' || path === '/v2/') {
      // Docker clients only send credentials after this challenge, so anonymous callers always get it.
      if (caller.kind === 'viewer' && caller.viewer.kind === 'anonymous') {
        throw registryError('UNAUTHORIZED', 'authentication required', null, { headers: challenge(ctx) });
      }
      sendJson(res, 200, {});
      return true;
    }
    const r: RegistryRequest = { ctx, req, res, url, caller };
    for (const endpoint of ENDPOINTS) {
      const match = endpoint.pattern.exec(path);
      if (!match) continue;
      const handler = endpoint.methods[req.method ?? 'GET'];
      if (!handler) throw registryError('UNSUPPORTED', `${req.method} is not supported here`);
      let name: string;
      let param: string;
      try {
        name = decodeURIComponent(match[1]);
        param = decodeURIComponent(match[2]);
      } catch {
        throw registryError('NAME_INVALID', 'the path is not valid percent-encoding');
      }
      await handler(r, name, param);
      return true;
    }
    throw registryError('UNSUPPORTED', `no registry endpoint at ${path.slice(0, 200)}`, null, {
      status: 404,
    });
  } catch (error) {
    // A client that hung up mid-upload is routine, not a server error.
    if (!(error instanceof RegistryError) && (req.destroyed || res.destroyed)) return true;
    if (!(error instanceof RegistryError)) throw error;
    if (!req.readableEnded) req.resume();
    if (res.headersSent) {
      res.destroy();
      return true;
    }
    sendRegistryError(res, error, head);
    return true;
  }
}
