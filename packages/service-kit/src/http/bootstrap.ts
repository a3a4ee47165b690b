import { Logger, type INestApplication, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { AllExceptionsFilter } from './exceptions.filter.js';
import { validationPipe } from './validation.js';

export interface HttpAppOptions {
  name: string;
  port: number;
  host?: string;
  /** Largest accepted request body in bytes (default 1 MiB). */
  bodyLimit?: number;
  logLevel?: string;
  /** Runs before listen: register routes, static files, hooks. */
  configure?: (app: NestFastifyApplication) => Promise<void> | void;
}

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

export function logLevelsFrom(level = 'info'): LogLevel[] {
  const wanted = level === 'info' ? 'log' : (level as LogLevel);
  const index = LEVELS.indexOf(wanted);
  return LEVELS.slice(0, index < 0 ? 4 : index + 1);
}

/** Builds a Fastify Nest app with the contract's error bodies and graceful shutdown, without listening. */
export async function createHttpApp(
  module: unknown,
  options: HttpAppOptions,
): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    genReqId: (req: { headers: Record<string, string | string[] | undefined> }) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && given.length <= 128 ? given : randomUUID();
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(module as never, adapter, {
    logger: logLevelsFrom(options.logLevel),
    bufferLogs: false,
  });
  app.useGlobalFilters(new AllExceptionsFilter());
  app.useGlobalPipes(validationPipe());
  // Exit 0 after a clean SIGTERM drain (without this, Nest re-raises the signal and the process exits 143).
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  await options.configure?.(app);
  return app;
}

/** Creates the app and listens; logs `<name> listening on http://host:port`. */
export async function bootstrapHttpApp(
  module: unknown,
  options: HttpAppOptions,
): Promise<NestFastifyApplication> {
  const app = await createHttpApp(module, options);
  const host = options.host ?? '127.0.0.1';
  await app.listen(options.port, host);
  new Logger(options.name).log(`${options.name} listening on ${await appUrl(app)}`);
  return app;
}

export async function appUrl(app: INestApplication): Promise<string> {
  return (await app.getUrl()).replace('[::1]', '127.0.0.1');
}
