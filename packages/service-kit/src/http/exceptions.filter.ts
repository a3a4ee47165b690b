import { ArgumentsHost, Catch, HttpException, Logger, type ExceptionFilter } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import type { ErrorBody } from './api-error.js';

const CODE_BY_STATUS: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'unprocessable_entity',
  429: 'rate_limited',
};

/** Every error leaves in the contract's shape; unexpected ones get an id that is logged with the stack. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Exceptions');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const { status, body } = this.toBody(exception);
    void reply.status(status).header('content-type', 'application/json').send(body);
  }

  private toBody(exception: unknown): { status: number; body: ErrorBody } {
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      if (isErrorBody(response)) return { status, body: response };
      const message = typeof response === 'string' ? response : exception.message;
      return { status, body: errorBody(CODE_BY_STATUS[status] ?? 'error', message) };
    }
    const fastifyStatus = statusOfFastifyError(exception);
    if (fastifyStatus) {
      const message = fastifyStatus === 413 ? 'request body is larger than allowed' : errorMessage(exception);
      return {
        status: fastifyStatus,
        body: errorBody(CODE_BY_STATUS[fastifyStatus] ?? 'bad_request', message),
      };
    }
    const errorId = randomUUID();
    this.logger.error(
      `error ${errorId}: ${errorMessage(exception)}`,
      (exception as Error | undefined)?.stack,
    );
    return { status: 500, body: errorBody('internal_error', `internal error (id ${errorId})`) };
  }
}

function errorBody(code: string, message: string): ErrorBody {
  return { error: { code, message, details: [] } };
}

function isErrorBody(value: unknown): value is ErrorBody {
  return typeof value === 'object' && value !== null && 'error' in value && typeof value.error === 'object';
}

/** Fastify's own errors (body too large, bad JSON) carry a 4xx statusCode. */
function statusOfFastifyError(exception: unknown): number | undefined {
  const status = (exception as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}

function errorMessage(exception: unknown): string {
  return exception instanceof Error ? exception.message : String(exception);
}
