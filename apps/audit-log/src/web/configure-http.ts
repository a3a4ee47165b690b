import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import type { AuditEnv } from '../config/audit-env.js';
import { resolveFromAppRoot } from './app-root.js';
import { serveDashboard } from './dashboard-static.js';
import { proxySubscriptionsApi } from './subscriptions-proxy.js';

/** Everything that sits beside the Nest routes on the one origin the browser talks to. */
export async function configureHttp(app: NestFastifyApplication, env: AuditEnv): Promise<void> {
  const fastify: FastifyInstance = app.getHttpAdapter().getInstance();
  const logger = new Logger('Web');
  fastify.addHook('onRequest', (request, _reply, done) => {
    moveAccessTokenToHeader(request);
    done();
  });
  await proxySubscriptionsApi(fastify, env.SUBSCRIPTIONS_API_URL, logger);
  await serveDashboard(fastify, resolveFromAppRoot(env.DASHBOARD_DIR), logger);
}

/**
 * A browser's EventSource cannot send headers, so the live tail also takes `?access_token=`; it is moved into
 * Authorization before the guard runs (only on /v1/stream, and never when a header is present).
 */
function moveAccessTokenToHeader(request: { url: string; headers: Record<string, unknown> }): void {
  if (request.headers.authorization || !request.url.startsWith('/v1/stream')) return;
  const query = request.url.split('?')[1];
  const token = query ? new URLSearchParams(query).get('access_token') : null;
  if (token) request.headers.authorization = `Bearer ${token}`;
}
