import { openRepository } from '../access.js';
import { authorize } from '../auth.js';
import { registryError } from '../errors.js';
import { hasBody, type RegistryRequest, send, uploadRange } from '../http.js';
import { checkDigest, checkRepositoryName } from '../names.js';
import { findRepository } from '../repositories.js';
import {
  appendToUpload,
  cancelUpload,
  completeUpload,
  createUploadSession,
  findUploadSession,
  mountBlob,
  type UploadSession,
} from '../upload-sessions.js';

const sessionLocation = (name: string, id: string) => `/v2/${name}/blobs/uploads/${id}`;

function progressHeaders(name: string, session: UploadSession): Record<string, string> {
  return {
    location: sessionLocation(name, session.id),
    range: uploadRange(session.size),
    'docker-upload-uuid': session.id,
    // `Range: 0-0` is ambiguous between 0 and 1 byte; our own client reads the exact offset here.
    'benchline-upload-offset': String(session.size),
  };
}

function blobCreated(r: RegistryRequest, name: string, digest: string): void {
  send(r.res, 201, { location: `/v2/${name}/blobs/${digest}`, 'docker-content-digest': digest });
}

/** Parses `Content-Range: <start>-<end>` of a chunk; null when absent. */
function chunkStart(r: RegistryRequest): number | null {
  const header = r.req.headers['content-range'];
  if (!header) return null;
  const match = /^(?:bytes[= ])?(\d+)-(\d+)(?:\/\d+|\/\*)?$/.exec(header.trim());
  if (!match || Number(match[2]) < Number(match[1])) {
    r.req.resume();
    throw registryError(
      'BLOB_UPLOAD_INVALID',
      `malformed Content-Range "${header.slice(0, 80)}": use <start>-<end>`,
      null,
      {
        status: 416,
      },
    );
  }
  const length = r.req.headers['content-length'];
  if (length !== undefined && Number(length) !== Number(match[2]) - Number(match[1]) + 1) {
    r.req.resume();
    throw registryError(
      'BLOB_UPLOAD_INVALID',
      `Content-Range ${header} does not match Content-Length ${length}`,
      null,
      {
        status: 416,
      },
    );
  }
  return Number(match[1]);
}

/** POST /v2/<name>/blobs/uploads/: a mount, a monolithic upload (`?digest=`), or a new session. */
export async function startUpload(r: RegistryRequest, name: string): Promise<void> {
  const repository = await openRepository(r, name, 'push', true);
  const mount = r.url.searchParams.get('mount');
  const from = r.url.searchParams.get('from');
  if (mount && from) {
    const digest = checkDigest(mount);
    // A mount the caller may not read from silently becomes an ordinary upload, as the spec says.
    const fromRepository = await (async () => {
      try {
        const { projectSlug } = checkRepositoryName(from);
        await authorize(r.ctx, r.caller, from, 'pull');
        const project = await r.ctx.db
          .selectFrom('project')
          .select('id')
          .where('slug', '=', projectSlug)
          .executeTakeFirst();
        return project ? await findRepository(r.ctx.db, from, project.id) : null;
      } catch {
        return null;
      }
    })();
    if (fromRepository && (await mountBlob(r.ctx, repository.id, fromRepository.id, digest))) {
      r.req.resume();
      return blobCreated(r, name, digest);
    }
  }
  const digestParam = r.url.searchParams.get('digest');
  const digest = digestParam !== null ? checkDigest(digestParam) : null;
  const session = await createUploadSession(r.ctx, repository.id);
  if (digest) {
    const location = sessionLocation(name, session.id);
    try {
      await appendToUpload(r.ctx, session, 0, r.req, location);
      await completeUpload(r.ctx, session, digest, location);
    } catch (error) {
      // Nobody was told this session's id, so nobody can resume it: a refused upload leaves nothing.
      await cancelUpload(r.ctx, session).catch(() => {});
      throw error;
    }
    return blobCreated(r, name, digest);
  }
  r.req.resume();
  send(r.res, 202, progressHeaders(name, session));
}

/** PATCH / PUT / GET / DELETE /v2/<name>/blobs/uploads/<id>. */
export async function handleUpload(r: RegistryRequest, name: string, id: string): Promise<void> {
  const method = r.req.method;
  const repository = await openRepository(r, name, method === 'GET' ? 'pull' : 'push');
  const session = await findUploadSession(r.ctx, repository.id, id);
  const location = sessionLocation(name, session.id);
  if (method === 'GET') return send(r.res, 204, progressHeaders(name, session));
  if (method === 'DELETE') {
    await cancelUpload(r.ctx, session);
    return send(r.res, 204);
  }
  if (method === 'PATCH') {
    await appendToUpload(r.ctx, session, chunkStart(r), r.req, location);
    return send(r.res, 202, progressHeaders(name, session));
  }
  if (method === 'PUT') {
    const digestParam = r.url.searchParams.get('digest');
    if (digestParam === null) {
      r.req.resume();
      throw registryError('DIGEST_INVALID', 'completing an upload needs ?digest=sha256:…');
    }
    const digest = checkDigest(digestParam);
    if (hasBody(r.req)) await appendToUpload(r.ctx, session, chunkStart(r), r.req, location);
    else r.req.resume();
    await completeUpload(r.ctx, session, digest, location);
    return blobCreated(r, name, digest);
  }
  r.req.resume();
  throw registryError('UNSUPPORTED', `${method} is not supported on an upload`);
}
