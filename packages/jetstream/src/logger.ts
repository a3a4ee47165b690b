import { Logger, type LoggerService } from '@nestjs/common';

/** The slice of a Nest logger this package writes to; pass your own or get a Nest `Logger` with a context. */
export type LogSink = Pick<LoggerService, 'log' | 'warn' | 'error'>;

export function defaultLogger(context: string): LogSink {
  return new Logger(context);
}
