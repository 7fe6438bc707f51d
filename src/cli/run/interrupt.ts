export interface InterruptTarget {
  /** The job being followed, once there is one. */
  jobId(): string | null;
  /** Stop now: kill a local command or stop following the job (it keeps running). */
  stop(): void;
  cancelJob(jobId: string): Promise<void>;
  /** Asks a yes/no question; null when nobody can answer (stdin is not a terminal). */
  ask: ((question: string) => Promise<boolean>) | null;
  notice(text: string): void;
}

/**
 * Ctrl-C outside the Ink screen: before a job exists it stops; with a job it asks whether to
 * cancel it (y/N), and a second Ctrl-C while asking leaves the job running. Without a terminal
 * to ask on (CI canceling the build), the job is canceled so it does not hold a runner.
 */
export function handleInterrupts(target: InterruptTarget, process_: NodeJS.Process = process): () => void {
  let asking = false;
  const onSigint = async () => {
    const jobId = target.jobId();
    if (!jobId) return target.stop();
    if (asking) {
      target.notice(`leaving job ${jobId} running`);
      return target.stop();
    }
    if (!target.ask) {
      target.notice(`interrupted: canceling job ${jobId}`);
      return void target.cancelJob(jobId).catch(() => target.stop());
    }
    asking = true;
    const yes = await target.ask(`Cancel job ${jobId}? (y/N) `);
    asking = false;
    if (yes) {
      target.notice(`canceling job ${jobId}…`);
      await target.cancelJob(jobId).catch((error: unknown) => {
        target.notice(`could not cancel: ${error instanceof Error ? error.message : error}`);
      });
    } else target.notice('still following the job (Ctrl-C twice to leave it running)');
  };
  const listener = () => void onSigint();
  process_.on('SIGINT', listener);
  return () => process_.off('SIGINT', listener);
}
