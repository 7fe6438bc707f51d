import type { Readable } from 'node:stream';
import { CliError } from '../errors.js';

export interface RegistryClientOptions {
  /** Scheme and authority, e.g. `http://127.0.0.1:8080`. */
  registryUrl: string;
  repository: string;
  /** A Benchline API token: sent directly, or exchanged at a token endpoint when the registry asks. */
  token: string | null;
  fetch?: typeof fetch;
  /** Attempts per chunk before giving up. */
  retries?: number;
  retryDelayMs?: number;
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function parseChallenge(header: string | null): Record<string, string> | null {
  const match = /^\s*Bearer\s+(.*)$/i.exec(header ?? '');
  if (!match) return null;
  const params: Record<string, string> = {};
  for (const m of match[1].matchAll(/(\w+)="([^"]*)"/g)) params[m[1].toLowerCase()] = m[2];
  return params.realm ? params : null;
}

async function errorOf(response: Response): Promise<{ code: string; message: string }> {
  const text = await response.text().catch(() => '');
  try {
    const error = (JSON.parse(text) as { errors?: Array<{ code: string; message: string }> }).errors?.[0];
    if (error) return error;
  } catch {}
  return { code: `HTTP_${response.status}`, message: text.slice(0, 200) || response.statusText };
}

const HINTS: Record<string, string> = {
  UNAUTHORIZED:
    'pass --token or set BENCHLINE_TOKEN to an API token of a member of the project’s organization',
  DENIED: 'pushing needs the member role in the project’s organization; ask an owner to add you',
  NAME_UNKNOWN:
    'name the image <project-slug>/<name>:<tag> after a project that exists (benchline project list)',
  NAME_INVALID: 'use lower-case letters, digits and single . _ - separators: <project-slug>/<name>:<tag>',
};

/** The push side of the OCI distribution API, with resumable chunked uploads. */
export class RegistryClient {
  readonly #fetch: typeof fetch;
  #bearer: string | null;

  constructor(readonly options: RegistryClientOptions) {
    this.#fetch = options.fetch ?? fetch;
    // Our registry accepts its API tokens as bearer tokens; others get them via the token endpoint.
    this.#bearer = options.token;
  }

  #url(path: string): string {
    return new URL(path, this.options.registryUrl).toString();
  }

  async #send(method: string, path: string, init: RequestInit = {}, retried = false): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.#bearer) headers.set('authorization', `Bearer ${this.#bearer}`);
    let response: Response;
    try {
      response = await this.#fetch(this.#url(path), { ...init, method, headers });
    } catch (error) {
      throw new CliError(
        `cannot reach the registry at ${this.options.registryUrl}: ${(error as Error).message}`,
        'is the server running? check --host or BENCHLINE_HOST',
        'NETWORK',
      );
    }
    if (response.status === 401 && !retried) {
      const challenge = parseChallenge(response.headers.get('www-authenticate'));
      if (challenge) {
        await response.body?.cancel();
        await this.#login(challenge);
        return this.#send(method, path, init, true);
      }
    }
    return response;
  }

  async #login(challenge: Record<string, string>): Promise<void> {
    const url = new URL(challenge.realm);
    if (challenge.service) url.searchParams.set('service', challenge.service);
    url.searchParams.set('scope', `repository:${this.options.repository}:pull,push`);
    const headers: Record<string, string> = {};
    if (this.options.token) {
      headers.authorization = `Basic ${Buffer.from(`benchline:${this.options.token}`).toString('base64')}`;
    }
    const response = await this.#fetch(url, { headers }).catch((error) => {
      throw new CliError(`cannot reach the token endpoint ${url.origin}: ${(error as Error).message}`);
    });
    if (!response.ok) await this.#fail(response, 'sign in to the registry');
    const body = (await response.json()) as { token?: string; access_token?: string };
    this.#bearer = body.token ?? body.access_token ?? null;
  }

  async #fail(response: Response, what: string): Promise<never> {
    const error = await errorOf(response);
    throw new CliError(`${what}: ${error.code}: ${error.message}`, HINTS[error.code], error.code);
  }

  async blobExists(digest: string): Promise<boolean> {
    const response = await this.#send('HEAD', `/v2/${this.options.repository}/blobs/${digest}`);
    await response.body?.cancel();
    if (response.status === 200) return true;
    if (response.status === 404) return false;
    return this.#fail(response, `check blob ${digest}`);
  }

  /**
   * Uploads a blob in PATCH chunks. A failed chunk (network error, 5xx) is retried from the offset
   * the server reports for the session, so nothing already received is sent again.
   */
  async uploadBlob(
    digest: string,
    size: number,
    open: (start: number, end: number) => Readable,
    options: { chunkSize: number; onProgress?: (bytes: number) => void },
  ): Promise<void> {
    const base = `/v2/${this.options.repository}/blobs/uploads/`;
    const started = await this.#send('POST', base, { headers: { 'content-length': '0' } });
    if (started.status !== 202) return this.#fail(started, `start uploading ${digest}`);
    await started.body?.cancel();
    let location = started.headers.get('location') ?? '';
    let offset = 0;
    let failures = 0;
    const retries = this.options.retries ?? 5;
    while (offset < size) {
      const end = Math.min(offset + options.chunkSize, size) - 1;
      try {
        const body = await readAll(open(offset, end));
        const response = await this.#send('PATCH', location, {
          body: new Uint8Array(body),
          headers: { 'content-type': 'application/octet-stream', 'content-range': `${offset}-${end}` },
        });
        if (response.status === 202) {
          await response.body?.cancel();
          location = response.headers.get('location') ?? location;
          options.onProgress?.(end + 1 - offset);
          offset = end + 1;
          failures = 0;
          continue;
        }
        if (response.status !== 416 && response.status < 500) return this.#fail(response, `upload ${digest}`);
        await response.body?.cancel();
        throw new Error(`HTTP ${response.status}`);
      } catch (error) {
        if (error instanceof CliError && error.code !== 'NETWORK') throw error;
        if (++failures > retries) {
          throw new CliError(
            `uploading ${digest} failed ${failures} times: ${(error as Error).message}`,
            'run the same push again: blobs already uploaded are skipped',
          );
        }
        await new Promise((r) => setTimeout(r, (this.options.retryDelayMs ?? 500) * failures));
        const resumed = await this.#uploadOffset(location);
        options.onProgress?.(resumed - offset);
        offset = resumed;
      }
    }
    const separator = location.includes('?') ? '&' : '?';
    const done = await this.#send('PUT', `${location}${separator}digest=${encodeURIComponent(digest)}`, {
      headers: { 'content-length': '0' },
    });
    if (done.status !== 201) return this.#fail(done, `finish uploading ${digest}`);
    await done.body?.cancel();
  }

  /** How much of an upload session the server holds. */
  async #uploadOffset(location: string): Promise<number> {
    const response = await this.#send('GET', location);
    if (response.status !== 204) return this.#fail(response, 'read the upload’s progress');
    const exact = response.headers.get('benchline-upload-offset');
    if (exact !== null) return Number(exact);
    const range = /^(?:bytes=)?0-(\d+)$/.exec(response.headers.get('range') ?? '');
    // `0-0` is ambiguous between nothing and one byte; resending one byte is harmless.
    return range && Number(range[1]) > 0 ? Number(range[1]) + 1 : 0;
  }

  async putManifest(reference: string, mediaType: string, bytes: Buffer): Promise<string> {
    const response = await this.#send('PUT', `/v2/${this.options.repository}/manifests/${reference}`, {
      body: new Uint8Array(bytes),
      headers: { 'content-type': mediaType },
    });
    if (response.status !== 201) return this.#fail(response, `push manifest ${reference}`);
    await response.body?.cancel();
    return response.headers.get('docker-content-digest') ?? '';
  }
}
