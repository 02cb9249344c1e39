import pino from 'pino';
import type { Logger } from 'pino';
import type { Config } from './config';

export type { Logger };

/**
 * Structured JSON logs. Authorization headers, tokens and personal fields are
 * redacted at the logger so that no call site can leak them by accident.
 */
export function createLogger(config: Pick<Config, 'logLevel'>, pretty = process.stdout.isTTY === true): Logger {
  return pino({
    // One JSON line per entry for machines; readable lines for a person at a terminal.
    ...(pretty
      ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } } }
      : {}),
    level: config.logLevel,
    base: undefined,
    redact: {
      paths: [
        'authorization',
        'token',
        'headers.authorization',
        'req.headers.authorization',
        'connectionParams.authorization',
        '*.email',
        '*.phone',
        'variables',
        'secret',
        '*.secret',
      ],
      censor: '[redacted]',
    },
  });
}
