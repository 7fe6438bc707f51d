import { request } from 'node:http';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { MAX_REQUEST_BYTES } from '../../src/server/http/json-body.js';
import { startTestServer } from '../helpers/server.js';

const server = await startTestServer();

/** A raw POST to /graphql, so the body and its framing are exactly what the test says. */
function post(body: string, headers: Record<string, string>): Promise<{ status: number; json: any }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${server.url}/graphql`,
      // A fresh connection each: the oversized request leaves its socket expecting more body.
      { method: 'POST', agent: false, headers: { authorization: `Bearer ${server.adminToken}`, ...headers } },
      (res) => {
        let text = '';
        res.on('data', (chunk) => {
          text += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const query = JSON.stringify({ query: '{ me { slug } }' });

describe('GraphQL request bodies', () => {
  it('answers a JSON body with a Content-Length and one sent chunked alike', async () => {
    const sized = await post(query, {
      'content-type': 'application/json',
      'content-length': `${query.length}`,
    });
    const chunked = await post(query, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    expect(sized).toEqual({ status: 200, json: { data: { me: { slug: 'admin' } } } });
    expect(chunked).toEqual(sized);
  });

  it('answers a body that is not JSON with a 400 and a GraphQL error', async () => {
    const body = '{"query": "{ me { slug } }"';
    const res = await post(body, { 'content-type': 'application/json', 'content-length': `${body.length}` });
    expect(res.status).toBe(400);
    expect(res.json.errors[0].message).toMatch(/JSON/i);
  });

  it('answers an empty JSON object and a JSON array with what is missing', async () => {
    const send = (body: string) =>
      post(body, { 'content-type': 'application/json', 'content-length': `${body.length}` });
    expect((await send('{}')).json.errors).toEqual([
      { message: 'Must provide query string.', extensions: { code: 'BAD_REQUEST' } },
    ]);
    expect(await send('[]')).toEqual({
      status: 400,
      json: { errors: [{ message: 'Batching is not supported.', extensions: { code: 'BAD_REQUEST' } }] },
    });
  });

  it('refuses a body over the limit from its Content-Length, before reading it', async () => {
    const res = await post('{}', {
      'content-type': 'application/json',
      'content-length': `${MAX_REQUEST_BYTES + 1}`,
    }).catch((error: Error) => ({ status: -1, json: error.message }));
    // The server answers 413 at once; the client may see the socket close before it sends more.
    expect([413, -1]).toContain(res.status);
    if (res.status === 413) expect(res.json.errors[0].extensions.code).toBe('REQUEST_ENTITY_TOO_LARGE');
  });

  it('lets a client leave halfway through its body', async () => {
    const { port } = new URL(server.url);
    const socket = connect(Number(port), '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(
      'POST /graphql HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"query"',
    );
    await new Promise((r) => setTimeout(r, 50));
    socket.destroy();
    await new Promise((r) => setTimeout(r, 50));
    // The server logs nothing as an error and goes on answering.
    const res = await post(query, {
      'content-type': 'application/json',
      'content-length': `${query.length}`,
    });
    expect(res.status).toBe(200);
  });
});
