import pino from 'pino';
import type { Logger } from 'pino';
import type { Config } from './config';

export type { Logger };

/**
 * Structured JSON logs. Authorization headers, tokens and personal fields are
 * redacted at the logger so that no call site can leak them by accident.
 */
export function createLogger(config: Pick<Config, 'logLevel'>): Logger {
  return pino({
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
      ],
      censor: '[redacted]',
    },
  });
}
