import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { guardedLookup } from './egress.js';
import { HttpSender, RESPONSE_BODY_LIMIT, type HttpSenderOptions } from './http-client.js';

type Route = (req: IncomingMessage, res: ServerResponse) => void;
const routes: Record<string, Route> = {
  '/ok': (_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('thanks'),
  '/redirect': (_req, res) => res.writeHead(302, { location: '/ok' }).end(),
  '/error': (_req, res) => res.writeHead(500).end('boom'),
  '/busy': (_req, res) => res.writeHead(429, { 'retry-after': '2' }).end(),
  '/big': (_req, res) => res.writeHead(200).end('x'.repeat(100 * 1024)),
  '/hang': () => undefined,
  '/slow-body': (_req, res) => {
    res.writeHead(200);
    res.write('partial');
  },
  '/reset': (req) => req.socket.destroy(),
};

let server: Server;
let base: string;
const hits: Record<string, number> = {};
const remoteAddresses: string[] = [];
const keepAliveSockets = new Set<unknown>();

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = req.url ?? '/';
    hits[path] = (hits[path] ?? 0) + 1;
    remoteAddresses.push(req.socket.remoteAddress ?? '');
    if (path === '/keep-alive') keepAliveSockets.add(req.socket);
    req.resume();
    req.on('end', () => (routes[path] ?? routes['/ok']!)(req, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const request = { body: '{"id":"evt_1"}', headers: { 'content-type': 'application/json' } };

function sender(overrides: Partial<HttpSenderOptions> = {}): HttpSender {
  return new HttpSender({
    timeoutMs: 400,
    connectionsPerOrigin: 4,
    egressIps: [],
    guardAddresses: false,
    requireHttps: false,
    ...overrides,
  });
}

describe('HttpSender', () => {
  it('treats 2xx as success and keeps status, duration and body', async () => {
    const client = sender();
    const result = await client.send(`${base}/ok`, request);
    expect(result).toMatchObject({ ok: true, statusCode: 200, error: null, responseBody: 'thanks' });
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
    await client.close();
  });

  it('does not follow redirects and names them', async () => {
    const client = sender();
    const before = hits['/ok'] ?? 0;
    const result = await client.send(`${base}/redirect`, request);
    expect(result).toMatchObject({ ok: false, statusCode: 302, error: 'redirect' });
    expect(hits['/ok'] ?? 0).toBe(before);
    await client.close();
  });

  it('names other statuses and reads Retry-After on 429', async () => {
    const client = sender();
    expect(await client.send(`${base}/error`, request)).toMatchObject({
      ok: false,
      statusCode: 500,
      error: 'http_status',
      responseBody: 'boom',
    });
    expect(await client.send(`${base}/busy`, request)).toMatchObject({ statusCode: 429, retryAfterMs: 2000 });
    await client.close();
  });

  it('keeps only the first 4 KiB of the response', async () => {
    const client = sender();
    const result = await client.send(`${base}/big`, request);
    expect(result).toMatchObject({ ok: true, statusCode: 200 });
    expect(result.responseBody).toHaveLength(RESPONSE_BODY_LIMIT);
    // Past the drain limit the connection was dropped; the next attempts go on unharmed.
    const again = await client.send(`${base}/big`, request);
    expect(again.responseBody).toHaveLength(RESPONSE_BODY_LIMIT);
    expect(await client.send(`${base}/ok`, request)).toMatchObject({ ok: true, responseBody: 'thanks' });
    await client.close();
  });

  it('times out a receiver that never answers, and one that stalls mid-body', async () => {
    const client = sender({ timeoutMs: 300 });
    const hang = await client.send(`${base}/hang`, request);
    expect(hang).toMatchObject({ ok: false, statusCode: null, error: 'timeout' });
    expect(hang.durationMs).toBeGreaterThanOrEqual(290);
    expect(hang.durationMs).toBeLessThan(3000);
    const slow = await client.send(`${base}/slow-body`, request);
    expect(slow).toMatchObject({ ok: false, statusCode: 200, error: 'timeout' });
    await client.close();
  });

  it('names refused, reset, DNS and TLS failures', async () => {
    const client = sender({ timeoutMs: 3000 });
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    expect((await client.send(`http://127.0.0.1:${port}/`, request)).error).toBe('connection_refused');
    expect((await client.send(`${base}/reset`, request)).error).toBe('reset');
    expect((await client.send('http://no-such-host.invalid/', request)).error).toBe('dns');
    expect((await client.send(`${base.replace('http:', 'https:')}/ok`, request)).error).toBe('tls');
    await client.close();
  });

  it('reuses keep-alive connections', async () => {
    const client = sender();
    keepAliveSockets.clear();
    for (let i = 0; i < 10; i += 1) await client.send(`${base}/keep-alive`, request);
    // undici's pool may open a second socket while the first is still finishing a response; never one per request.
    expect(keepAliveSockets.size).toBeLessThanOrEqual(2);
    await client.close();
  });

  it('sends from the egress addresses in turn', async () => {
    const client = sender({ egressIps: ['127.0.0.2', '127.0.0.3'] });
    remoteAddresses.length = 0;
    for (let i = 0; i < 4; i += 1) await client.send(`${base}/ok`, request);
    expect(remoteAddresses.map((a) => a.replace('::ffff:', ''))).toEqual([
      '127.0.0.2',
      '127.0.0.3',
      '127.0.0.2',
      '127.0.0.3',
    ]);
    await client.close();
  });

  it('in production refuses plain http, private IP literals and names resolving to them', async () => {
    const strict = sender({ guardAddresses: true, requireHttps: true });
    expect((await strict.send(`${base}/ok`, request)).error).toBe('blocked_address');
    await strict.close();
    const guarded = sender({ guardAddresses: true });
    const before = hits['/ok'] ?? 0;
    expect((await guarded.send(`${base}/ok`, request)).error).toBe('blocked_address');
    expect((await guarded.send(`http://[::ffff:127.0.0.1]:1/`, request)).error).toBe('blocked_address');
    const port = new URL(base).port;
    expect((await guarded.send(`http://localhost:${port}/ok`, request)).error).toBe('blocked_address');
    expect(hits['/ok'] ?? 0).toBe(before);
    await guarded.close();
  });

  it('lets the guarded lookup hand back only checked addresses', async () => {
    const answer = await new Promise<{ error: NodeJS.ErrnoException | null; address: unknown }>((resolve) =>
      guardedLookup('localhost', { all: true }, (error, address) => resolve({ error, address })),
    );
    expect(answer.error?.code).toBe('EBLOCKEDADDRESS');
  });
});
