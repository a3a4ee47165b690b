import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHttpApp } from '@codeplanet/service-kit';
import { APP_NAME, AppModule } from './app.module.js';
import type { AuditEnv } from './config/audit-env.js';
import { configureHttp } from './web/configure-http.js';

/** The app, configured but not listening (main.ts listens; tests listen on port 0). */
export function createAuditApp(env: AuditEnv): Promise<NestFastifyApplication> {
  return createHttpApp(AppModule.forRoot(env), {
    name: APP_NAME,
    port: env.PORT,
    host: env.HOST,
    logLevel: env.LOG_LEVEL,
    configure: (app) => configureHttp(app, env),
  });
}
