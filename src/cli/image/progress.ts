/** Reports push progress: a redrawn bar on a terminal, plain lines otherwise (CI logs). */
export interface PushProgress {
  start(total: number, blobs: number): void;
  blobSkipped(digest: string, size: number): void;
  blobStarted(digest: string, size: number): void;
  bytes(count: number): void;
  blobDone(digest: string, size: number): void;
  finish(): void;
}

export const formatBytes = (bytes: number): string =>
  bytes >= 1e9
    ? `${(bytes / 1e9).toFixed(2)} GB`
    : bytes >= 1e6
      ? `${(bytes / 1e6).toFixed(1)} MB`
      : bytes >= 1e3
        ? `${(bytes / 1e3).toFixed(1)} kB`
        : `${bytes} B`;

const short = (digest: string) => digest.slice(7, 19);

export function createProgress(stream: NodeJS.WriteStream = process.stderr): PushProgress {
  let total = 0;
  let done = 0;
  let startedAt = Date.now();
  let lastDraw = 0;
  const tty = stream.isTTY === true;
  const draw = (force = false) => {
    const now = Date.now();
    if (!force && now - lastDraw < 100) return;
    lastDraw = now;
    const width = 30;
    const fraction = total ? Math.min(done / total, 1) : 1;
    const filled = Math.round(fraction * width);
    const rate = done / Math.max((now - startedAt) / 1000, 0.001);
    stream.write(
      `\r[${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}% ${formatBytes(done)}/${formatBytes(total)} ${formatBytes(rate)}/s\x1b[K`,
    );
  };
  const line = (text: string) => {
    if (tty) stream.write(`\r${text}\x1b[K\n`);
    else stream.write(`${text}\n`);
  };
  return {
    start(bytes, blobs) {
      total = bytes;
      startedAt = Date.now();
      if (!tty) line(`pushing ${blobs} blobs, ${formatBytes(bytes)}`);
    },
    blobSkipped(digest, size) {
      done += size;
      line(`${short(digest)}: already there (${formatBytes(size)})`);
      if (tty) draw(true);
    },
    blobStarted(digest, size) {
      if (!tty) line(`${short(digest)}: uploading ${formatBytes(size)}`);
    },
    bytes(count) {
      done += count;
      if (tty) draw();
    },
    blobDone(digest, size) {
      line(`${short(digest)}: pushed (${formatBytes(size)})`);
      if (tty) draw(true);
    },
    finish() {
      if (tty) {
        draw(true);
        stream.write('\n');
      }
    },
  };
}

export const silentProgress: PushProgress = {
  start() {},
  blobSkipped() {},
  blobStarted() {},
  bytes() {},
  blobDone() {},
  finish() {},
};
