import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { FledgeError, httpStatusOf } from '@fledge/errors';
import { type Request, type Response } from 'express';

/**
 * The REST edge (uploads, webhooks): FledgeErrors become their HTTP status with a typed body;
 * anything unknown is logged and answered as a generic INTERNAL. GraphQL errors are left to
 * graphqlErrorFormatter.
 */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger(HttpErrorFilter.name);

  catch(exception: unknown, host: ArgumentsHost): unknown {
    if (host.getType<string>() !== 'http') return exception;
    const res = host.switchToHttp().getResponse<Response>();
    const req = host.switchToHttp().getRequest<Request & { id?: unknown }>();
    if (res.headersSent) return undefined;
    if (exception instanceof FledgeError) {
      res.status(httpStatusOf(exception.code)).json({ error: exception.toJSON() });
    } else if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const code =
        status === 404
          ? 'NOT_FOUND'
          : status === 413
            ? 'PAYLOAD_TOO_LARGE'
            : status < 500
              ? 'INVALID_ARGUMENT'
              : 'INTERNAL';
      res.status(status).json({ error: { code, reason: code, message: exception.message, details: {} } });
    } else {
      this.logger.error({ err: exception, requestId: req.id, path: req.path }, 'unhandled error in HTTP request');
      res.status(500).json({
        error: {
          code: 'INTERNAL',
          reason: 'INTERNAL',
          message: 'Internal error; see the x-request-id response header.',
          details: {},
        },
      });
    }
    return undefined;
  }
}
