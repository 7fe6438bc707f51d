import type { IncomingMessage } from 'node:http';

/** The caller's address; X-Forwarded-For is believed only from configured trusted proxies. */
export function clientIp(req: IncomingMessage, trustedProxies: string[]): string {
  const remote = (req.socket.remoteAddress ?? 'unknown').replace(/^::ffff:/, '');
  if (!trustedProxies.includes(remote)) return remote;
  const forwarded = req.headers['x-forwarded-for'];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
  return first || remote;
}

export function bearer(header: string | null | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  return match ? match[1] : null;
}
