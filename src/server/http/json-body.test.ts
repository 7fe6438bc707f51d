import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { readJsonBody } from './json-body.js';

function post(body: string): IncomingMessage {
  const req = new IncomingMessage(new Socket());
  req.method = 'POST';
  req.headers = { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) };
  req.push(Buffer.from(body));
  req.push(null);
  return req;
}

describe('readJsonBody', () => {
  it('lets go of the body once read, so a held long-poll does not keep it', async () => {
    const req = post('{"query":"mutation { claimJob(waitSeconds: 60) { job { id } } }"}');
    expect(await readJsonBody(req)).toBe('read');
    expect((req as IncomingMessage & { body?: unknown }).body).toEqual({
      query: 'mutation { claimJob(waitSeconds: 60) { job { id } } }',
    });
    // The listeners held the chunks (slices of the socket's read) for as long as the request lived.
    expect(req.listenerCount('data')).toBe(0);
    expect(req.listenerCount('end')).toBe(0);
    expect(req.listenerCount('close')).toBe(0);
    // A late error of the request must still not be thrown.
    expect(() => req.emit('error', new Error('aborted'))).not.toThrow();
  });

  it('answers client-gone when the request closes mid-body', async () => {
    const req = new IncomingMessage(new Socket());
    req.method = 'POST';
    req.headers = { 'content-type': 'application/json', 'content-length': '100' };
    req.push(Buffer.from('{"query":'));
    const read = readJsonBody(req);
    req.emit('close');
    expect(await read).toBe('client-gone');
    expect(req.listenerCount('data')).toBe(0);
  });
});
