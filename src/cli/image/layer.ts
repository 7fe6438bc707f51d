import { createHash, type Hash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { lstat, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Header, Pax } from 'tar';
import { CliError } from '../errors.js';
import { reproducibleGzip } from './gzip.js';

export interface BuiltLayer {
  digest: string;
  diffId: string;
  size: number;
}

interface Entry {
  /** Path inside the image, without a leading slash; directories end with `/`. */
  path: string;
  source: string | null;
  type: 'Directory' | 'File' | 'SymbolicLink';
  mode: number;
  size: number;
  linkpath?: string;
}

// Fixed metadata, so the same directory gives the same layer anywhere: no times, no owners.
const MTIME = new Date(0);

async function walk(root: string, prefix: string): Promise<Entry[]> {
  const entries: Entry[] = [];
  const visit = async (dir: string, rel: string) => {
    // Byte order, not locale order: the tar must not depend on the machine's collation.
    const names = (await readdir(dir)).sort((a, b) => (Buffer.from(a) < Buffer.from(b) ? -1 : 1));
    for (const name of names) {
      const full = join(dir, name);
      const path = `${rel}${name}`;
      const info = await lstat(full);
      if (info.isDirectory()) {
        entries.push({ path: `${path}/`, source: null, type: 'Directory', mode: 0o755, size: 0 });
        await visit(full, `${path}/`);
      } else if (info.isSymbolicLink()) {
        entries.push({
          path,
          source: null,
          type: 'SymbolicLink',
          mode: 0o777,
          size: 0,
          linkpath: await readlink(full),
        });
      } else if (info.isFile()) {
        // Only the executable bit survives: umask and checkout modes must not change the digest.
        const mode = info.mode & 0o111 ? 0o755 : 0o644;
        entries.push({ path, source: full, type: 'File', mode, size: info.size });
      }
    }
  };
  const parents: Entry[] = [];
  const parts = prefix.split('/').filter(Boolean);
  for (let i = 1; i <= parts.length; i++) {
    parents.push({
      path: `${parts.slice(0, i).join('/')}/`,
      source: null,
      type: 'Directory',
      mode: 0o755,
      size: 0,
    });
  }
  const start = parts.length ? `${parts.join('/')}/` : '';
  try {
    await visit(root, start);
  } catch (error) {
    throw new CliError(`cannot read ${root}: ${(error as Error).message}`, 'give a directory you can read');
  }
  return [...parents, ...entries];
}

function headerBlocks(entry: Entry): Buffer {
  const fields = {
    path: entry.path,
    mode: entry.mode,
    uid: 0,
    gid: 0,
    size: entry.size,
    mtime: MTIME,
    type: entry.type,
    linkpath: entry.linkpath ?? '',
    uname: '',
    gname: '',
  };
  const block = Buffer.alloc(512);
  const header = new Header(fields);
  header.encode(block, 0);
  if (!header.needPax) return block;
  const pax = new Pax({ path: entry.path, linkpath: entry.linkpath, mtime: MTIME } as never).encode();
  return Buffer.concat([pax, block]);
}

class Digester extends Transform {
  bytes = 0;
  constructor(readonly hash: Hash) {
    super();
  }
  override _transform(
    chunk: Buffer,
    _e: BufferEncoding,
    done: (error?: Error | null, data?: Buffer) => void,
  ) {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    done(null, chunk);
  }
}

/**
 * Packs a directory into a gzipped layer at `output`, reproducibly: entries in byte order,
 * mtime 0, owner 0:0 with no names, normalized modes, and a gzip header without a timestamp.
 * `prefix` is where the directory lands in the image (`/` by default).
 */
export async function buildLayer(dir: string, prefix: string, output: string): Promise<BuiltLayer> {
  const entries = await walk(dir, prefix);
  const tar = new PassThrough({ highWaterMark: 1 << 20 });
  const uncompressed = new Digester(createHash('sha256'));
  const compressed = new Digester(createHash('sha256'));
  const writing = pipeline(tar, uncompressed, reproducibleGzip(), compressed, createWriteStream(output));
  const write = async (data: Buffer) => {
    if (!tar.write(data)) await new Promise((r) => tar.once('drain', r));
  };
  try {
    for (const entry of entries) {
      await write(headerBlocks(entry));
      if (entry.source && entry.size > 0) {
        let copied = 0;
        for await (const chunk of createReadStream(entry.source, { highWaterMark: 1 << 20 })) {
          const piece = (chunk as Buffer).subarray(0, Math.max(entry.size - copied, 0));
          copied += piece.length;
          await write(piece);
        }
        if (copied !== entry.size)
          throw new CliError(`${entry.source} changed while it was being packed`, 'try again');
        const pad = (512 - (entry.size % 512)) % 512;
        if (pad) await write(Buffer.alloc(pad));
      }
    }
    await write(Buffer.alloc(1024));
    tar.end();
    await writing;
  } catch (error) {
    tar.destroy();
    await writing.catch(() => {});
    throw error;
  }
  return {
    digest: `sha256:${compressed.hash.digest('hex')}`,
    diffId: `sha256:${uncompressed.hash.digest('hex')}`,
    size: compressed.bytes,
  };
}
