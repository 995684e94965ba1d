import { type IncomingMessage, type ServerResponse } from 'node:http';

import { type LevelWithSilent, type Logger } from 'pino';
import { pinoHttp, type HttpLogger, type Options } from 'pino-http';

import { requestIdFor } from './request-id.util.js';

/** The key every line of a request carries. */
export const REQUEST_ID_LOG_KEY = 'requestId';

export interface HttpLoggerOptions {
  /** Requests not logged on completion (e.g. health probes); their lines still carry the id. */
  ignore?: (req: IncomingMessage) => boolean;
}

/**
 * pino-http options shared by the Nest apps (through nestjs-pino) and the plain node:http serving
 * runtime: request id from `x-request-id` (echoed back), bound to `req.log` so each line of the
 * request carries it, and one completion line with status and duration.
 */
export function httpLoggerOptions(logger: Logger, options: HttpLoggerOptions = {}): Options {
  return {
    logger,
    genReqId: requestIdFor,
    quietReqLogger: true,
    customAttributeKeys: { reqId: REQUEST_ID_LOG_KEY },
    autoLogging: options.ignore ? { ignore: options.ignore } : true,
    customLogLevel: (_req: IncomingMessage, res: ServerResponse, error?: Error): LevelWithSilent =>
      error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
  };
}

/** For plain node:http servers: call it first in the handler, then log through `req.log`. */
export function createHttpLogger(logger: Logger, options: HttpLoggerOptions = {}): HttpLogger {
  return pinoHttp(httpLoggerOptions(logger, options));
}
