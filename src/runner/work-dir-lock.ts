import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * One runner per work dir: a second one would wipe the first's job directories at start and race it
 * in the blob cache's temp space. A lock left by a dead process is taken over.
 */
export async function lockWorkDir(workDir: string): Promise<{ release(): Promise<void> }> {
  const path = join(workDir, 'runner.pid');
  for (let attempt = 0; ; attempt++) {
    try {
      await writeFile(path, `${process.pid}\n`, { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw error;
      const pid = Number((await readFile(path, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) {
        throw new Error(
          `the work dir ${workDir} is in use by another runner (pid ${pid}); give each runner its own --work-dir`,
        );
      }
      await rm(path, { force: true });
    }
  }
  return {
    release: async () => {
      const pid = Number((await readFile(path, 'utf8').catch(() => '')).trim());
      if (pid === process.pid) await rm(path, { force: true });
    },
  };
}
