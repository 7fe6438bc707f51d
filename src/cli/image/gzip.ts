import { Transform, type TransformCallback } from 'node:stream';
import { constants, crc32, createDeflateRaw } from 'node:zlib';

// No name, no mtime, OS "unknown": the same bytes in give the same bytes out, on any machine.
const HEADER = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0xff]);

/** A gzip stream with a fixed header, for reproducible layers. */
export function reproducibleGzip(): Transform {
  const deflate = createDeflateRaw({ level: constants.Z_DEFAULT_COMPRESSION });
  let crc = 0;
  let length = 0;
  let pendingCallback: TransformCallback | undefined;
  const out = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      crc = crc32(chunk, crc);
      length = (length + chunk.length) >>> 0;
      if (deflate.write(chunk)) callback();
      else deflate.once('drain', () => callback());
    },
    flush(callback) {
      pendingCallback = callback;
      deflate.end();
    },
  });
  out.push(HEADER);
  deflate.on('data', (data: Buffer) => out.push(data));
  deflate.on('error', (error) => out.destroy(error));
  deflate.on('end', () => {
    const trailer = Buffer.alloc(8);
    trailer.writeUInt32LE(crc >>> 0, 0);
    trailer.writeUInt32LE(length, 4);
    out.push(trailer);
    pendingCallback?.();
  });
  return out;
}
