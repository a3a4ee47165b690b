import { FAKE_CATALOG, FAKE_TYPES } from './catalog.js';
import { stats, validateEndpoint } from './views.js';
import { deliveryRow, endpointView, type FakeDelivery, type FakeEndpoint, type FakeStore } from './store.js';

export interface Reply {
  status: number;
  body?: unknown;
}
type Who = { kind: 'admin' } | { kind: 'account'; accountId: string };
interface Ctx {
  store: FakeStore;
  who: Who;
  params: string[];
  query: URLSearchParams;
  body: Record<string, unknown>;
}
type Handler = (ctx: Ctx) => Reply;

const fail = (
  status: number,
  code: string,
  message: string,
  details?: { field: string; message: string }[],
): Reply => ({
  status,
  body: { error: { code, message, ...(details ? { details } : {}) } },
});
const notFound = (what: string) => fail(404, 'not_found', `${what} not found`);

function page<T>(items: T[], query: URLSearchParams): Reply {
  const limit = Math.min(Math.max(Number(query.get('limit') ?? 50) || 50, 1), 500);
  const offset = Number(Buffer.from(query.get('cursor') ?? '', 'base64url').toString() || 0);
  const data = items.slice(offset, offset + limit);
  const next =
    offset + limit < items.length ? Buffer.from(String(offset + limit)).toString('base64url') : null;
  return { status: 200, body: { data, next_cursor: next } };
}

function ownEndpoint(ctx: Ctx): FakeEndpoint | null {
  const endpoint = ctx.store.endpoints.get(ctx.params[0] ?? '');
  if (!endpoint) return null;
  return ctx.who.kind === 'admin' || endpoint.account_id === ctx.who.accountId ? endpoint : null;
}

function ownDelivery(ctx: Ctx): FakeDelivery | null {
  const d = ctx.store.deliveries.find((x) => x.id === ctx.params[0]);
  if (!d) return null;
  return ctx.who.kind === 'admin' || d.account_id === ctx.who.accountId ? d : null;
}

const accountOnly =
  (h: Handler): Handler =>
  (ctx) =>
    ctx.who.kind === 'account' ? h(ctx) : fail(403, 'forbidden', 'needs an account API key');
const adminOnly =
  (h: Handler): Handler =>
  (ctx) =>
    ctx.who.kind === 'admin' ? h(ctx) : fail(403, 'forbidden', 'admin only');

export const ROUTES: [string, RegExp, Handler][] = [
  [
    'POST',
    /^\/v1\/admin\/accounts$/,
    adminOnly((c) => {
      const id = c.store.createAccount(typeof c.body.name === 'string' ? c.body.name : 'account');
      return { status: 201, body: { id, name: c.body.name } };
    }),
  ],
  [
    'POST',
    /^\/v1\/admin\/accounts\/([^/]+)\/api-keys$/,
    adminOnly((c) => ({ status: 201, body: { id: 'key_fake', key: c.store.createKey(c.params[0] ?? '') } })),
  ],
  [
    'GET',
    /^\/v1\/event-types$/,
    () => ({
      status: 200,
      body: {
        data: FAKE_CATALOG.map((c) => ({
          type: c.type,
          description: c.description,
          schema: { type: 'object' },
          example: { type: c.type, data: c.data },
        })),
      },
    }),
  ],
  ['GET', /^\/v1\/webhook-ips$/, () => ({ status: 200, body: { data: ['203.0.113.10', '203.0.113.11'] } })],
  [
    'GET',
    /^\/v1\/endpoints$/,
    accountOnly((c) => {
      const account = c.who.kind === 'account' ? c.who.accountId : '';
      return page(
        [...c.store.endpoints.values()].filter((e) => e.account_id === account).map(endpointView),
        c.query,
      );
    }),
  ],
  [
    'POST',
    /^\/v1\/endpoints$/,
    accountOnly((c) => {
      const problems = validateEndpoint(c.body);
      if (problems.length) return fail(400, 'validation_failed', 'The endpoint is not valid', problems);
      const account = c.who.kind === 'account' ? c.who.accountId : '';
      const e = c.store.createEndpoint(
        account,
        c.body as { url: string; events: string[]; description?: string },
      );
      return { status: 201, body: { ...endpointView(e), secret: e.secret } };
    }),
  ],
  [
    'GET',
    /^\/v1\/endpoints\/([^/]+)$/,
    (c) => {
      const e = ownEndpoint(c);
      return e ? { status: 200, body: endpointView(e) } : notFound('endpoint');
    },
  ],
  [
    'PATCH',
    /^\/v1\/endpoints\/([^/]+)$/,
    (c) => {
      const e = ownEndpoint(c);
      if (!e) return notFound('endpoint');
      if (typeof c.body.enabled === 'boolean') {
        e.enabled = c.body.enabled;
        e.disabled_reason = e.enabled ? null : 'manual';
      }
      if (typeof c.body.description === 'string') e.description = c.body.description;
      e.updated_at = new Date().toISOString();
      return { status: 200, body: endpointView(e) };
    },
  ],
  [
    'DELETE',
    /^\/v1\/endpoints\/([^/]+)$/,
    (c) => {
      const e = ownEndpoint(c);
      if (!e) return notFound('endpoint');
      c.store.endpoints.delete(e.id);
      return { status: 204 };
    },
  ],
  [
    'GET',
    /^\/v1\/endpoints\/([^/]+)\/secret$/,
    (c) => {
      const e = ownEndpoint(c);
      return e ? { status: 200, body: { secret: e.secret } } : notFound('endpoint');
    },
  ],
  [
    'POST',
    /^\/v1\/endpoints\/([^/]+)\/secret\/rotate$/,
    (c) => {
      const e = ownEndpoint(c);
      return e ? { status: 200, body: { secret: c.store.rotate(e) } } : notFound('endpoint');
    },
  ],
  [
    'POST',
    /^\/v1\/endpoints\/([^/]+)\/test$/,
    (c) => {
      const e = ownEndpoint(c);
      if (!e) return notFound('endpoint');
      if (!FAKE_TYPES.includes(String(c.body.type)))
        return fail(400, 'validation_failed', 'unknown type', [
          { field: 'type', message: 'unknown event type' },
        ]);
      return { status: 202, body: { event_id: c.store.sendTest(e, String(c.body.type)).id } };
    },
  ],
  [
    'GET',
    /^\/v1\/endpoints\/([^/]+)\/stats$/,
    (c) => {
      const e = ownEndpoint(c);
      return e ? { status: 200, body: stats(c.store, e.id) } : notFound('endpoint');
    },
  ],
  [
    'GET',
    /^\/v1\/deliveries$/,
    (c) => {
      const q = c.query;
      const rows = c.store.deliveries.filter(
        (d) =>
          (c.who.kind === 'admin' || d.account_id === c.who.accountId) &&
          (!q.get('account_id') || d.account_id === q.get('account_id')) &&
          (!q.get('endpoint_id') || d.endpoint_id === q.get('endpoint_id')) &&
          (!q.get('event_type') || d.event_type === q.get('event_type')) &&
          (!q.get('status') || d.status === q.get('status')) &&
          (!q.get('since') || d.created_at >= (q.get('since') ?? '')) &&
          (!q.get('until') || d.created_at < (q.get('until') ?? '')),
      );
      return page(rows.map(deliveryRow), q);
    },
  ],
  [
    'GET',
    /^\/v1\/deliveries\/([^/]+)$/,
    (c) => {
      const d = ownDelivery(c);
      return d ? { status: 200, body: { ...deliveryRow(d), attempts: d.attempts } } : notFound('delivery');
    },
  ],
  [
    'POST',
    /^\/v1\/deliveries\/([^/]+)\/retry$/,
    (c) => {
      const d = ownDelivery(c);
      if (!d) return notFound('delivery');
      c.store.retry(d);
      return { status: 202, body: { id: d.id } };
    },
  ],
  [
    'GET',
    /^\/v1\/events\/([^/]+)$/,
    (c) => {
      const e = c.store.events.get(c.params[0] ?? '');
      if (!e || (c.who.kind === 'account' && e.account_id !== c.who.accountId)) return notFound('event');
      return {
        status: 200,
        body: {
          event: e,
          deliveries: c.store.deliveries.filter((d) => d.event_id === e.id).map(deliveryRow),
        },
      };
    },
  ],
];

export function authenticate(
  store: FakeStore,
  adminToken: string,
  header: string | undefined,
  query: URLSearchParams,
): Who | null {
  const token = header?.startsWith('Bearer ') ? header.slice(7) : query.get('access_token');
  if (!token) return null;
  if (token === adminToken) return { kind: 'admin' };
  const accountId = store.keys.get(token);
  return accountId ? { kind: 'account', accountId } : null;
}

export function route(method: string, path: string): { handler: Handler; params: string[] } | null {
  for (const [m, pattern, handler] of ROUTES) {
    const match = m === method ? pattern.exec(path) : null;
    if (match) return { handler, params: match.slice(1).map(decodeURIComponent) };
  }
  return null;
}
