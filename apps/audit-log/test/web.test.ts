import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { endpointFact } from './support/facts.js';
import { ADMIN, startHarness, type Harness } from './support/harness.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

let h: Harness;
let upstream: Server;
const seen: Seen[] = [];
const dashboard = mkdtempSync(join(tmpdir(), 'dashboard-'));

beforeAll(async () => {
  writeFileSync(join(dashboard, 'index.html'), '<!doctype html><title>Webhooks</title>');
  mkdirSync(join(dashboard, 'assets'));
  writeFileSync(join(dashboard, 'assets', 'app-1234.js'), 'console.log("hi")');
  writeFileSync(join(dashboard, 'favicon.svg'), '<svg/>');
  upstream = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      const status = req.method === 'POST' ? 201 : req.method === 'DELETE' ? 204 : 200;
      res.writeHead(status, { 'content-type': 'application/json', 'x-upstream': 'subscriptions-api' });
      res.end(status === 204 ? undefined : JSON.stringify({ upstream: true, path: req.url }));
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const address = upstream.address();
  const port = address && typeof address === 'object' ? address.port : 0;
  h = await startHarness({ SUBSCRIPTIONS_API_URL: `http://127.0.0.1:${port}`, DASHBOARD_DIR: dashboard });
  await h.endpoint(endpointFact('endpoint.created', 'ep_w1', 'acct_w', 1, new Date().toISOString()));
  await h.projected();
}, 60_000);

afterAll(async () => {
  await h?.stop();
  await new Promise((resolve) => upstream?.close(resolve));
  rmSync(dashboard, { recursive: true, force: true });
});

describe('subscriptions-api routes on this origin', () => {
  it('forwards method, path, query, body and Authorization, and returns the answer as is', async () => {
    const res = await fetch(`${h.url}/v1/endpoints?limit=5`, {
      method: 'POST',
      headers: { authorization: 'Bearer cpk_x', 'content-type': 'application/json', 'idempotency-key': 'k1' },
      body: JSON.stringify({ url: 'https://example.test/hook', events: ['*'] }),
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('x-upstream')).toBe('subscriptions-api');
    expect(await res.json()).toEqual({ upstream: true, path: '/v1/endpoints?limit=5' });
    expect(seen.at(-1)).toMatchObject({
      method: 'POST',
      url: '/v1/endpoints?limit=5',
      body: '{"url":"https://example.test/hook","events":["*"]}',
      headers: expect.objectContaining({ authorization: 'Bearer cpk_x', 'idempotency-key': 'k1' }),
    });
  });

  it.each([
    ['GET', '/v1/endpoints/ep_1', 200],
    ['PATCH', '/v1/endpoints/ep_1', 200],
    ['DELETE', '/v1/endpoints/ep_1', 204],
    ['POST', '/v1/endpoints/ep_1/secret/rotate', 201],
    ['GET', '/v1/event-types', 200],
    ['GET', '/v1/webhook-ips', 200],
  ])('%s %s goes to subscriptions-api', async (method, path, status) => {
    const res = await fetch(h.url + path, { method, headers: { authorization: 'Bearer cpk_x' } });
    expect(res.status).toBe(status);
    expect(seen.at(-1)).toMatchObject({ method, url: path });
  });

  it('keeps GET /v1/endpoints/:id/stats for audit-log itself', async () => {
    const before = seen.length;
    const res = await h.http('GET', '/v1/endpoints/ep_w1/stats', ADMIN);
    expect(res.status).toBe(200);
    expect(res.body.endpoint_id).toBe('ep_w1');
    expect(seen.length).toBe(before);
  });
});

describe('dashboard pages', () => {
  it('serves index.html at / and for client-side routes', async () => {
    for (const path of ['/', '/logs', '/deliveries/dlv_1']) {
      const res = await fetch(h.url + path);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/html');
      expect(await res.text()).toContain('<title>Webhooks</title>');
    }
  });

  it('serves built files with long caching for hashed assets', async () => {
    const asset = await fetch(`${h.url}/assets/app-1234.js`);
    expect(asset.headers.get('content-type')).toContain('text/javascript');
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect(await asset.text()).toBe('console.log("hi")');
    expect((await fetch(`${h.url}/favicon.svg`)).headers.get('content-type')).toBe('image/svg+xml');
  });

  it('answers 404 for missing files, unknown API paths, and paths outside the directory', async () => {
    expect((await fetch(`${h.url}/assets/missing.js`)).status).toBe(404);
    const api = await fetch(`${h.url}/v1/unknown`);
    expect(api.status).toBe(404);
    expect(await api.json()).toMatchObject({ error: { code: 'not_found' } });
    // fetch would normalise these; a raw request sends them as they are.
    for (const path of [
      '/%2e%2e/%2e%2e/etc/passwd',
      '/..%2f..%2fetc%2fpasswd',
      '/assets/..%2f..%2fpackage.json',
    ]) {
      expect({ path, status: await rawStatus(path) }).toEqual({ path, status: 404 });
    }
  });

  it('leaves health and metrics alone', async () => {
    expect((await h.http('GET', '/health')).body).toMatchObject({ status: 'ok' });
    const metrics = await fetch(`${h.url}/metrics`);
    const text = await metrics.text();
    expect(text).toContain('audit_projection_batch_size');
    expect(text).toContain('audit_projection_apply_seconds');
  });
});

function rawStatus(path: string): Promise<number> {
  const { hostname, port } = new URL(h.url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, method: 'GET' }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}
