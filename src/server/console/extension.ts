import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Extension } from '../app.js';
import { fileSize, sendFile } from './static.js';

// Paths that belong to the API, the registry and operators: never answered with the console.
const reserved = ['/graphql', '/v2', '/healthz', '/metrics'];
// Vite puts content-hashed files under /assets; they never change, so browsers may keep them.
const immutable = 'public, max-age=31536000, immutable';

/** src/console/dist of the package, found from here whether running from src (tsx) or dist. */
export function defaultConsoleDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'src', 'console', 'dist');
    const parent = dirname(dir);
    if (parent === dir) return join(process.cwd(), 'src', 'console', 'dist');
    dir = parent;
  }
}

function isReserved(path: string): boolean {
  return reserved.some((p) => path === p || path.startsWith(`${p}/`));
}

/** The web console at /: static files of the Vite build, and index.html for client-side routes. */
export function consoleExtension(options: { dir?: string | null } = {}): Extension {
  const root = normalize(options.dir ?? defaultConsoleDir());
  const route = async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    let path: string;
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', 'http://console').pathname);
    } catch {
      return false;
    }
    if (isReserved(path) || path.includes('\0')) return false;
    const headOnly = req.method === 'HEAD';
    const file = normalize(join(root, path));
    if (file.startsWith(root + sep) && !path.endsWith('/')) {
      const size = await fileSize(file);
      if (size !== null) {
        const cache = path.startsWith('/assets/') ? immutable : 'no-cache';
        await sendFile(res, file, size, cache, headOnly);
        return true;
      }
      // A missing asset is a 404, not the app: a stale page must not get HTML for its script.
      if (path.startsWith('/assets/')) return false;
    }
    const index = join(root, 'index.html');
    const size = await fileSize(index);
    if (size === null) {
      res
        .writeHead(503, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' })
        .end(notBuilt(root));
      return true;
    }
    await sendFile(res, index, size, 'no-cache', headOnly);
    return true;
  };
  return { routes: [route] };
}

function notBuilt(root: string): string {
  const escaped = root.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html><html><head><meta charset="utf-8"><title>Benchline</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto">
<h1>The web console is not built</h1>
<p>Run <code>npm run build</code> (or <code>npm run build:console</code>) and reload this page.
The API is up at <a href="/graphql">/graphql</a>.</p>
<p style="color: #6b7280">Looked for the console in <code>${escaped}</code>.</p>
</body></html>
`;
}
