import { open } from 'node:fs/promises';
import { Header, Pax } from 'tar';

export interface TarEntry {
  /** Byte offset of the entry's content in the tar file. */
  offset: number;
  size: number;
  type: string;
}

const normalize = (path: string) => path.replace(/^(\.\/)+/, '').replace(/\/+$/, '');

/**
 * Lists an uncompressed tar's regular files with their content offsets, reading headers only, so
 * blobs can be streamed straight out of a `docker save` or OCI archive without unpacking it.
 * Headers (ustar, pax, GNU long names) are decoded by the `tar` package.
 */
export async function indexTar(file: string): Promise<Map<string, TarEntry>> {
  const handle = await open(file, 'r');
  const entries = new Map<string, TarEntry>();
  try {
    const { size: total } = await handle.stat();
    const block = Buffer.alloc(512);
    let position = 0;
    let ex: Record<string, unknown> | undefined;
    let gex: Record<string, unknown> | undefined;
    const readBody = async (size: number) => {
      const body = Buffer.alloc(size);
      await handle.read(body, 0, size, position + 512);
      return body;
    };
    while (position + 512 <= total) {
      await handle.read(block, 0, 512, position);
      if (block.every((b) => b === 0)) break;
      const header = new Header(block, 0, ex as never, gex as never);
      if (!header.cksumValid) throw new Error(`${file} is not a tar file (bad header at byte ${position})`);
      const size = header.size ?? 0;
      const type = header.type ?? 'File';
      if (type === 'ExtendedHeader' || type === 'OldExtendedHeader') {
        ex = Pax.parse((await readBody(size)).toString('utf8'), ex as never, false) as never;
      } else if (type === 'GlobalExtendedHeader') {
        gex = Pax.parse((await readBody(size)).toString('utf8'), gex as never, true) as never;
      } else if (type === 'NextFileHasLongPath' || type === 'NextFileHasLongLinkpath') {
        const value = (await readBody(size)).toString('utf8').replace(/\0.*$/s, '');
        ex = { ...ex, [type === 'NextFileHasLongPath' ? 'path' : 'linkpath']: value };
      } else {
        if (header.path) entries.set(normalize(header.path), { offset: position + 512, size, type });
        ex = undefined;
      }
      position += 512 + Math.ceil(size / 512) * 512;
    }
  } finally {
    await handle.close();
  }
  return entries;
}
