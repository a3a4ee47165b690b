import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { LogSink } from '@codeplanet/jetstream';

/** Paths that belong to the APIs: never answered with the dashboard's index.html. */
const API_PATHS = /^\/(v1|health|metrics|docs)(\/|$)/;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

/**
 * Serves the built dashboard (apps/dashboard/dist by default) at `/`, with the single-page-app fallback: a GET for
 * a path that is not a file (e.g. `/logs/dlv_1`) gets index.html, so client-side routes survive a reload. Vite's
 * hashed `assets/` are cached for a year, everything else is revalidated. Files are read at request time, so a
 * dashboard rebuilt while the app runs is served at once. Returns false (and logs) without an index.html.
 */
export async function serveDashboard(app: FastifyInstance, dir: string, logger: LogSink): Promise<boolean> {
  const root = resolve(dir);
  if (!(await isFile(join(root, 'index.html')))) {
    logger.log(`no dashboard at ${root} (index.html missing): serving the API only`);
    return false;
  }
  app.get('/*', (request, reply) => sendPage(root, request, reply));
  logger.log(`serving the dashboard from ${root}`);
  return true;
}

async function sendPage(root: string, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  let path: string;
  try {
    path = decodeURIComponent(request.url.split('?')[0] ?? '/');
  } catch {
    return notFound(reply, request.url);
  }
  if (API_PATHS.test(path)) return notFound(reply, path);
  const file = resolve(root, `.${path}`);
  const inside = file === root || file.startsWith(root + sep);
  if (inside && file !== root && (await isFile(file))) {
    const immutable = file.startsWith(join(root, 'assets') + sep);
    return send(reply, file, immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
  }
  if (!inside || extname(path)) return notFound(reply, path);
  return send(reply, join(root, 'index.html'), 'no-cache');
}

async function send(reply: FastifyReply, file: string, cacheControl: string): Promise<void> {
  const info = await stat(file);
  await reply
    .header('content-type', CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream')
    .header('content-length', info.size)
    .header('cache-control', cacheControl)
    .header('x-content-type-options', 'nosniff')
    .send(createReadStream(file));
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

async function notFound(reply: FastifyReply, path: string): Promise<void> {
  await reply
    .status(404)
    .header('content-type', 'application/json')
    .send({ error: { code: 'not_found', message: `no route for GET ${path}`, details: [] } });
}
