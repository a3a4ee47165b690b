import { startFakeApi } from './fake/server.js';
import { startReceiver, type Receiver } from './receiver.js';
import { DASHBOARD_DIST, realStackBuilt, startRealStack } from './stack.js';

/**
 * What a browser test needs: one origin serving the dashboard and its APIs, the admin token, a way to make an
 * account key, and a programmable receiver. Which system stands behind it:
 * - `DASHBOARD_URL` set: a stack already running (`SUBSCRIPTIONS_API_URL` for the admin routes, `ADMIN_TOKEN`);
 * - otherwise the four apps' `dist/main.js` started by `stack.ts` (required when `CI` is set);
 * - `DASHBOARD_STACK=fake`, or the apps not built outside CI: the in-memory contract fake of `fake/`.
 */
export interface Stack {
  kind: 'external' | 'real' | 'fake';
  dashboardUrl: string;
  adminToken: string;
  receiver: Receiver;
  newAccountKey(name?: string): Promise<string>;
  /** Extra app output to print when a test fails. */
  logs(): string;
  stop(): Promise<void>;
}

async function adminPost<T>(baseUrl: string, token: string, path: string, body: unknown): Promise<T> {
  const response = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`POST ${path} -> ${response.status}: ${text}`);
  return JSON.parse(text) as T;
}

function accountMaker(subscriptionsUrl: string, adminToken: string) {
  return async (name = 'Dashboard test'): Promise<string> => {
    const account = await adminPost<{ id: string }>(subscriptionsUrl, adminToken, '/v1/admin/accounts', {
      name,
    });
    const key = await adminPost<{ key: string }>(
      subscriptionsUrl,
      adminToken,
      `/v1/admin/accounts/${account.id}/api-keys`,
      {},
    );
    return key.key;
  };
}

export function chooseStack(): Stack['kind'] {
  if (process.env.DASHBOARD_URL) return 'external';
  const wanted = process.env.DASHBOARD_STACK;
  if (wanted === 'fake') return 'fake';
  if (wanted === 'real' || process.env.CI) return 'real';
  return realStackBuilt() ? 'real' : 'fake';
}

export async function startStack(kind: Stack['kind'] = chooseStack()): Promise<Stack> {
  const receiver = await startReceiver();
  try {
    if (kind === 'external') {
      const dashboardUrl = (process.env.DASHBOARD_URL ?? '').replace(/\/$/, '');
      const adminToken = process.env.ADMIN_TOKEN ?? 'dev-admin-token';
      const subscriptionsUrl = process.env.SUBSCRIPTIONS_API_URL ?? 'http://127.0.0.1:3001';
      return {
        kind,
        dashboardUrl,
        adminToken,
        receiver,
        newAccountKey: accountMaker(subscriptionsUrl, adminToken),
        logs: () => '',
        stop: () => receiver.close(),
      };
    }
    if (kind === 'real') {
      if (!realStackBuilt())
        throw new Error('the apps are not built: run `pnpm build` at the repo root first');
      const real = await startRealStack();
      return {
        kind,
        dashboardUrl: real.dashboardUrl,
        adminToken: real.adminToken,
        receiver,
        newAccountKey: accountMaker(real.subscriptionsUrl, real.adminToken),
        logs: () =>
          ['subscriptions-api', 'delivery-worker', 'scheduler', 'audit-log']
            .map((a) => `--- ${a}\n${real.logs(a as 'audit-log')}`)
            .join('\n'),
        stop: async () => {
          await real.stop();
          await receiver.close();
        },
      };
    }
    const adminToken = 'fake-admin-token';
    const fake = await startFakeApi({ distDir: DASHBOARD_DIST, adminToken });
    return {
      kind,
      dashboardUrl: fake.url,
      adminToken,
      receiver,
      newAccountKey: accountMaker(fake.url, adminToken),
      logs: () => '',
      stop: async () => {
        await fake.close();
        await receiver.close();
      },
    };
  } catch (error) {
    await receiver.close();
    throw error;
  }
}
