import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { MAX_EVENT_BYTES } from '@codeplanet/event-schemas';
import { createHttpApp, logLevelsFrom } from '@codeplanet/service-kit';
import { APP_NAME, AppModule, type AppModuleOptions } from './app.module.js';
import { RedactingLogger } from './common/redacting-logger.js';
import type { AppSettings } from './config/env.js';

/**
 * Builds the app without listening (main.ts listens on PORT; tests on port 0). Boot order: database and
 * migrations, NATS and stream provisioning, then the ENDPOINTS projector.
 */
export async function createApp(
  settings: AppSettings,
  options: AppModuleOptions = {},
): Promise<NestFastifyApplication> {
  return createHttpApp(AppModule.forRoot(settings, options), {
    name: APP_NAME,
    port: settings.env.PORT,
    host: settings.env.HOST,
    // Ingest accepts up to 256 KiB; larger bodies get our 413 `payload_too_large`.
    bodyLimit: MAX_EVENT_BYTES,
    logLevel: settings.env.LOG_LEVEL,
    configure: (app) => {
      app.useLogger(new RedactingLogger(logLevelsFrom(settings.env.LOG_LEVEL)));
      setUpOpenApi(app, options.docsUi ?? true);
      echoRequestId(app);
    },
  });
}

/** OpenAPI generated from the DTOs: UI at /docs, JSON at /docs/json. */
function setUpOpenApi(app: NestFastifyApplication, ui: boolean): void {
  const config = new DocumentBuilder()
    .setTitle('CodePlanet Webhooks — subscriptions-api')
    .setDescription('Accounts, API keys, webhook endpoints and secrets, event ingest, the event catalogue.')
    .setVersion('1')
    .addBearerAuth({
      type: 'http',
      scheme: 'bearer',
      description: 'admin token, service token or cpk_ API key',
    })
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs/json',
    yamlDocumentUrl: 'docs/yaml',
    swaggerUiEnabled: ui,
  });
}

/** Every answer carries the request id the audit trail recorded (the caller's `x-request-id`, or ours). */
function echoRequestId(app: NestFastifyApplication): void {
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onSend', async (request, reply) => {
      void reply.header('x-request-id', request.id);
    });
}
