import { pino } from 'pino';

export type Logger = pino.Logger;

/** Structured JSON logs. Secrets never reach a log: authorization headers and keys are redacted. */
export function createLogger(level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({
    level,
    base: { service: 'benchline' },
    redact: ['authorization', 'req.headers.authorization', 'key', 'token', 'secret', 'password'],
  });
}
