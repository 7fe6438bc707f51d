import type { ServerResponse } from 'node:http';

/** The error codes of the OCI distribution spec, plus the ones clients know from Docker's registry. */
export type RegistryErrorCode =
  | 'BLOB_UNKNOWN'
  | 'BLOB_UPLOAD_INVALID'
  | 'BLOB_UPLOAD_UNKNOWN'
  | 'DIGEST_INVALID'
  | 'MANIFEST_BLOB_UNKNOWN'
  | 'MANIFEST_INVALID'
  | 'MANIFEST_UNKNOWN'
  | 'NAME_INVALID'
  | 'NAME_UNKNOWN'
  | 'SIZE_INVALID'
  | 'UNAUTHORIZED'
  | 'DENIED'
  | 'UNSUPPORTED'
  | 'TOO_MANY_REQUESTS';

const STATUS: Record<RegistryErrorCode, number> = {
  BLOB_UNKNOWN: 404,
  BLOB_UPLOAD_INVALID: 400,
  BLOB_UPLOAD_UNKNOWN: 404,
  DIGEST_INVALID: 400,
  MANIFEST_BLOB_UNKNOWN: 400,
  MANIFEST_INVALID: 400,
  MANIFEST_UNKNOWN: 404,
  NAME_INVALID: 400,
  NAME_UNKNOWN: 404,
  SIZE_INVALID: 400,
  UNAUTHORIZED: 401,
  DENIED: 403,
  UNSUPPORTED: 405,
  TOO_MANY_REQUESTS: 429,
};

/** An error answered as OCI error JSON: `{"errors":[{"code","message","detail"}]}`. */
export class RegistryError extends Error {
  readonly status: number;
  constructor(
    readonly code: RegistryErrorCode,
    message: string,
    readonly detail: unknown = null,
    options: { status?: number; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = 'RegistryError';
    this.status = options.status ?? STATUS[code];
    this.headers = options.headers ?? {};
  }
  readonly headers: Record<string, string>;
}

export const registryError = (
  code: RegistryErrorCode,
  message: string,
  detail: unknown = null,
  options?: { status?: number; headers?: Record<string, string> },
) => new RegistryError(code, message, detail, options);

export function sendRegistryError(res: ServerResponse, error: RegistryError, head = false): void {
  const body = JSON.stringify({
    errors: [{ code: error.code, message: error.message, detail: error.detail }],
  });
  res.writeHead(error.status, {
    ...error.headers,
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
  });
  res.end(head ? undefined : body);
}
