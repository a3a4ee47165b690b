import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import type { LogSink } from '@codeplanet/jetstream';

/** subscriptions-api routes the dashboard calls through this origin (DESIGN.md "The dashboard"). */
export const PROXIED_PATHS = ['/v1/endpoints', '/v1/endpoints/*', '/v1/event-types', '/v1/webhook-ips'];
const METHODS: HTTPMethods[] = ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'];
const REQUEST_HEADERS = ['authorization', 'content-type', 'accept', 'idempotency-key', 'if-match'];
/** Hop-by-hop, or no longer true once fetch has decoded the body. */
const DROPPED_RESPONSE_HEADERS = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-encoding',
  'content-length',
  'date',
]);
const TIMEOUT_MS = 30_000;

/**
 * Forwards the dashboard's subscriptions-api calls (endpoints, catalogue, IPs) to SUBSCRIPTIONS_API_URL with the
 * caller's Authorization header: no CORS between the browser and its first screen. `GET /v1/endpoints/:id/stats`
 * is audit-log's own route and wins (a more specific route). Bodies pass through as raw bytes.
 */
export async function proxySubscriptionsApi(
  app: FastifyInstance,
  upstream: string,
  logger: LogSink,
): Promise<void> {
  await app.register((scope, _opts, done) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, next) => next(null, body));
    for (const url of PROXIED_PATHS) {
      scope.route({
        method: METHODS,
        url,
        handler: (request, reply) => forward(upstream, request, reply, logger),
      });
    }
    done();
  });
  logger.log(`forwarding ${PROXIED_PATHS.join(', ')} to ${upstream}`);
}

async function forward(upstream: string, request: FastifyRequest, reply: FastifyReply, logger: LogSink) {
  const headers = new Headers();
  for (const name of REQUEST_HEADERS) {
    const value = request.headers[name];
    if (typeof value === 'string') headers.set(name, value);
  }
  headers.set('x-request-id', request.id);
  const body = Buffer.isBuffer(request.body) && request.body.length > 0 ? request.body : undefined;
  let response: Response;
  try {
    response = await fetch(new URL(request.url, upstream), {
      method: request.method,
      headers,
      ...(body ? { body } : {}),
      redirect: 'manual',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (err) {
    logger.warn(
      `subscriptions-api unreachable for ${request.method} ${request.url.split('?')[0]}: ${String(err)}`,
    );
    return reply.status(502).send({
      error: { code: 'upstream_unavailable', message: 'subscriptions-api did not answer', details: [] },
    });
  }
  reply.status(response.status);
  response.headers.forEach((value, name) => {
    if (!DROPPED_RESPONSE_HEADERS.has(name)) void reply.header(name, value);
  });
  return reply.send(Buffer.from(await response.arrayBuffer()));
}
