import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { authenticate, route } from './routes.js';
import { deliveryRow, FakeStore, type FakeDelivery } from './store.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
};

export interface FakeApi {
  url: string;
  store: FakeStore;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  if (chunks.length === 0) return {};
  try {
    const parsed = JSON.parse(Buffer.concat(chunks).toString()) as unknown;
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

async function serveStatic(distDir: string, path: string, res: ServerResponse): Promise<void> {
  const file = normalize(join(distDir, path === '/' ? 'index.html' : path));
  if (!file.startsWith(distDir)) {
    res.writeHead(404).end();
    return;
  }
  try {
    const content = await readFile(file);
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(content);
  } catch {
    res.writeHead(404).end();
  }
}

function stream(
  store: FakeStore,
  res: ServerResponse,
  accountId: string | null,
  endpointId: string | null,
): void {
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  res.write(': connected\n\n');
  const listener = (d: FakeDelivery) => {
    if ((accountId && d.account_id !== accountId) || (endpointId && d.endpoint_id !== endpointId)) return;
    res.write(`event: delivery\ndata: ${JSON.stringify(deliveryRow(d))}\n\n`);
  };
  store.changes.on('delivery', listener);
  res.on('close', () => store.changes.off('delivery', listener));
}

/** Serves `distDir` at `/` and the contract's routes under `/v1`, like audit-log will. */
export async function startFakeApi(options: {
  distDir: string;
  adminToken: string;
  stream?: boolean;
}): Promise<FakeApi> {
  const store = new FakeStore();
  const sockets = new Set<ServerResponse>();
  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      if (!url.pathname.startsWith('/v1/')) return serveStatic(options.distDir, url.pathname, res);
      const who = authenticate(store, options.adminToken, req.headers.authorization, url.searchParams);
      const publicRoute = url.pathname === '/v1/event-types' || url.pathname === '/v1/webhook-ips';
      if (!who && !publicRoute) {
        res
          .writeHead(401, { 'content-type': 'application/json' })
          .end(JSON.stringify({ error: { code: 'unauthorized', message: 'Missing or invalid token' } }));
        return;
      }
      if (url.pathname === '/v1/stream' && req.method === 'GET' && options.stream !== false && who) {
        sockets.add(res);
        res.on('close', () => sockets.delete(res));
        return stream(
          store,
          res,
          who.kind === 'account' ? who.accountId : null,
          url.searchParams.get('endpoint_id'),
        );
      }
      const match = route(req.method ?? 'GET', url.pathname);
      if (!match) {
        res
          .writeHead(404, { 'content-type': 'application/json' })
          .end(JSON.stringify({ error: { code: 'not_found', message: 'No such route' } }));
        return;
      }
      const body = await readBody(req);
      const reply = match.handler({
        store,
        who: who ?? { kind: 'admin' },
        params: match.params,
        query: url.searchParams,
        body,
      });
      if (reply.body === undefined) res.writeHead(reply.status).end();
      else
        res.writeHead(reply.status, { 'content-type': 'application/json' }).end(JSON.stringify(reply.body));
    })().catch((error: unknown) => {
      res.writeHead(500).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    store,
    close: async () => {
      store.stop();
      for (const res of sockets) res.end();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
