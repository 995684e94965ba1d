import {
  pino,
  type DestinationStream,
  type LevelWithSilent,
  type Logger,
  type LoggerOptions as PinoOptions,
} from 'pino';

import { REDACT_PATHS, REDACTED, scrubSecretsInText } from './redaction.js';

export interface LoggerOptions {
  level: LevelWithSilent;
  /** The process or component, e.g. `api`, `serving`. */
  name: string;
  /** Defaults to stdout; tests pass a stream to read the lines back. */
  destination?: DestinationStream;
}

export type { Logger } from 'pino';

/**
 * Structured JSON logs, one object per line. Secrets are removed twice: by property name
 * (headers, tokens, passwords, keys, AWS credentials) and, on the final line, by pattern (a
 * password inside a connection string, a bearer token inside a message or stack).
 */
export function createLogger(options: LoggerOptions): Logger {
  const pinoOptions: PinoOptions = {
    name: options.name,
    level: options.level,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: [...REDACT_PATHS], censor: REDACTED },
    hooks: { streamWrite: scrubSecretsInText },
  };
  // pino's default stdout destination writes synchronously: no lines lost when a process exits.
  return options.destination ? pino(pinoOptions, options.destination) : pino(pinoOptions);
}
