import { describe, expect, it } from 'vitest';
import { startTestServer } from '../helpers/server.js';

const server = await startTestServer();

describe('server', () => {
  it('answers /healthz with the database state', async () => {
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', database: 'ok' });
  });

  it('knows the bootstrap admin', async () => {
    const data = await server.client(server.adminToken).data('{ me { slug isAdmin } }');
    expect(data.me).toEqual({ slug: 'admin', isAdmin: true });
  });

  it('rejects an unknown token with UNAUTHENTICATED', async () => {
    expect(await server.client('blu_nope').errorCode('{ me { slug } }')).toBe('UNAUTHENTICATED');
  });
});
