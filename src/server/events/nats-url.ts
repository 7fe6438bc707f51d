export interface NatsTarget {
  servers: string[];
  user?: string;
  pass?: string;
  token?: string;
  /** First token of every subject, so that deployments can share one NATS. */
  prefix: string;
}

/**
 * `nats://[user:pass@|token@]host:port[,nats://host2:port…][?prefix=benchline]`. Throws a
 * message meant for the operator; the configuration wraps it.
 */
export function parseNatsUrl(raw: string): NatsTarget {
  const target: NatsTarget = { servers: [], prefix: 'benchline' };
  for (const part of raw.split(',')) {
    let url: URL;
    try {
      url = new URL(part.trim());
    } catch {
      throw new Error(`${part} is not a URL`);
    }
    if (url.protocol !== 'nats:') throw new Error(`${part} is not a nats:// URL`);
    if (url.username && url.password) {
      target.user = decodeURIComponent(url.username);
      target.pass = decodeURIComponent(url.password);
    } else if (url.username) {
      target.token = decodeURIComponent(url.username);
    }
    const prefix = url.searchParams.get('prefix');
    if (prefix !== null) {
      if (!/^[\w-]+$/.test(prefix)) throw new Error(`prefix=${prefix} may use only letters, digits, _ and -`);
      target.prefix = prefix;
    }
    target.servers.push(`nats://${url.hostname}:${url.port || '4222'}`);
  }
  return target;
}
