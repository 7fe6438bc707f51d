// Apart from transport.ts so that the CLI's client can read Retry-After without loading undici.

/** Retry-After as delay-seconds (what Benchline sends) or an HTTP date; undefined when absent or unreadable. */
export function retryAfterSeconds(header: string | undefined): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim());
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}
