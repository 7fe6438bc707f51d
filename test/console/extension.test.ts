import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleExtension } from '../../src/server/console/extension.js';

// The static route on its own, behind a bare node server: what it answers and what it leaves alone.

let dir: string;
const servers: Server[] = [];

async function serve(consoleDir: string): Promise<string> {
  const [route] = consoleExtension({ dir: consoleDir }).routes!;
  const server = createServer(async (req, res) => {
    if (!(await route(req, res))) res.writeHead(404).end('not the console');
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

let url: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'benchline-console-'));
  await mkdir(join(dir, 'assets'));
  await writeFile(join(dir, 'index.html'), '<!doctype html><div id="root"></div>');
  await writeFile(join(dir, 'assets', 'index-Ab12Cd34.js'), 'console.log(1)');
  await writeFile(join(dir, 'assets', 'index-Ef56Gh78.css'), 'body{}');
  await writeFile(join(dir, 'favicon.svg'), '<svg/>');
  url = await serve(dir);
});

afterAll(async () => {
  for (const server of servers) server.close();
  await rm(dir, { recursive: true, force: true });
});

describe('console extension', () => {
  it('serves hashed assets with their content type, cached for good', async () => {
    const js = await fetch(`${url}/assets/index-Ab12Cd34.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await js.text()).toBe('console.log(1)');
    const css = await fetch(`${url}/assets/index-Ef56Gh78.css`);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    const svg = await fetch(`${url}/favicon.svg`);
    expect(svg.headers.get('content-type')).toBe('image/svg+xml');
    expect(svg.headers.get('cache-control')).toBe('no-cache');
  });

  it('answers client-side routes with index.html, never cached', async () => {
    for (const path of [
      '/',
      '/login',
      '/projects/demo',
      '/projects/demo/jobs/123',
      '/projects/demo/perf?benchmarks=a',
    ]) {
      const res = await fetch(url + path);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(await res.text()).toContain('<div id="root">');
    }
    const head = await fetch(`${url}/projects/demo`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get('content-length'))).toBeGreaterThan(0);
  });

  it('leaves the API, registry and operator paths, other methods and missing assets alone', async () => {
    for (const path of [
      '/graphql',
      '/v2/',
      '/v2/demo/manifests/latest',
      '/healthz',
      '/metrics',
      '/assets/gone-123.js',
    ]) {
      const res = await fetch(url + path);
      expect(res.status, path).toBe(404);
      expect(await res.text()).toBe('not the console');
    }
    expect((await fetch(`${url}/projects`, { method: 'POST', body: '{}' })).status).toBe(404);
  });

  it('does not serve files outside its directory', async () => {
    for (const path of ['/../package.json', '/%2e%2e/package.json', '/assets/..%2f..%2fetc%2fpasswd']) {
      const res = await fetch(url + path);
      expect(await res.text()).not.toContain('"name"');
      expect(res.headers.get('content-type') ?? '').not.toContain('javascript');
    }
  });

  it('says how to build the console when there is no build', async () => {
    const bare = await serve(join(dir, 'missing'));
    const res = await fetch(`${bare}/projects/demo`);
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await res.text()).toContain('npm run build');
  });
});
