import type { Params } from 'nestjs-pino';

import { httpLoggerOptions, type HttpLoggerOptions } from './http-logger.js';
import { createLogger, type LoggerOptions } from './logger.js';

/**
 * nestjs-pino module params, for `LoggerModule.forRootAsync({ inject: [...], useFactory: (config)
 * => nestLoggerParams({ level: config.log.level, name: 'api' }) })`. Nest's own logs and every
 * `PinoLogger` call inside a request then carry the request id.
 */
export function nestLoggerParams(options: LoggerOptions & HttpLoggerOptions): Params {
  return { pinoHttp: httpLoggerOptions(createLogger(options), options) };
}
