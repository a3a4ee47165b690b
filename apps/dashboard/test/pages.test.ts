import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { addEndpoint, launchBrowser, signIn, type TestBrowser } from './browser.js';
import { startFakeApi, type FakeApi } from './fake/server.js';
import { startReceiver, type Receiver } from './receiver.js';
import { DASHBOARD_DIST } from './stack.js';

/**
 * The pages' own behaviour (errors, confirmations, filters, paging, live updates), in Chromium against the
 * in-memory contract fake so that every case is cheap and exact. The whole system is exercised by e2e.test.ts.
 */
const ADMIN = 'pages-admin-token';

describe('dashboard pages', () => {
  let api: FakeApi;
  let receiver: Receiver;
  let browser: TestBrowser;
  let page: Page;
  let key: string;

  beforeAll(async () => {
    api = await startFakeApi({ distDir: DASHBOARD_DIST, adminToken: ADMIN });
    receiver = await startReceiver();
    browser = await launchBrowser();
    page = await browser.newPage();
    key = api.store.createKey(api.store.createAccount('Pages'));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await receiver?.close();
    await api?.close();
  });

  it('refuses a wrong token, keeps a right one for the tab, and signs out', async () => {
    await page.goto(`${api.url}/`);
    await page.getByTestId('token-input').fill('cpk_not_a_key');
    await page.getByTestId('sign-in').click();
    await expect(page.getByTestId('sign-in-error').textContent()).resolves.toContain('not accepted');

    await signIn(page, api.url, key);
    await page.reload();
    await page.getByTestId('no-endpoints').waitFor();
    await expect(page.getByTestId('webhook-ips').textContent()).resolves.toContain(
      '203.0.113.10, 203.0.113.11',
    );
    await page.getByTestId('sign-out').click();
    await page.getByTestId('sign-in-form').waitFor();
    await expect(page.evaluate(() => sessionStorage.length)).resolves.toBe(0);
    await signIn(page, api.url, key);
  });

  it('shows the API field errors of a rejected endpoint', async () => {
    await page.getByTestId('add-endpoint').click();
    await page.getByTestId('endpoint-url').fill('ftp://files.example.com');
    await page.getByTestId('create-endpoint').click();
    await expect(page.getByTestId('field-error-url').textContent()).resolves.toContain('http(s)');
    await expect(page.getByTestId('field-error-events').textContent()).resolves.toContain('at least one');

    await page.getByTestId('endpoint-url').fill(receiver.url);
    await page.getByTestId('events-all').check();
    await expect(page.getByTestId('event-payment.failed').isDisabled()).resolves.toBe(true);
    await page.getByTestId('create-endpoint').click();
    await expect(page.getByTestId('endpoint-events').textContent()).resolves.toBe('All events');
    const created = [...api.store.endpoints.values()].at(-1);
    expect(created?.events).toEqual(['*']);
  });

  it('reveals, copies and rotates the signing secret', async () => {
    const id = await addEndpoint(page, { url: receiver.url, events: ['payment.completed'] });
    await expect(page.getByTestId('secret-value').textContent()).resolves.toContain('•');
    await page.getByTestId('reveal-secret').click();
    const first = api.store.endpoints.get(id)?.secret ?? '';
    // The reveal is a fetch: wait for the secret to replace the dots rather than read the text at once.
    await page.locator('[data-testid="secret-value"]', { hasText: first }).waitFor();
    await expect(page.getByTestId('secret-value').textContent()).resolves.toBe(first);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.getByTestId('copy-secret').click();
    await page.locator('[data-testid="copy-secret"]:has-text("Copied")').waitFor();
    await expect(page.evaluate(() => navigator.clipboard.readText())).resolves.toBe(first);

    await page.getByTestId('rotate-secret').click();
    await page.getByTestId('rotate-secret-confirm').click();
    await page.getByTestId('secret-notice').waitFor();
    const second = api.store.endpoints.get(id)?.secret ?? '';
    expect(second).not.toBe(first);
    await page.locator('[data-testid="secret-value"]', { hasText: second }).waitFor();
    await expect(page.getByTestId('secret-value').textContent()).resolves.toBe(second);
  });

  it('disables and enables an endpoint, and deletes it only after confirming', async () => {
    const id = await addEndpoint(page, {
      url: receiver.url,
      events: ['streak.milestone'],
      description: 'to delete',
    });
    await page.getByTestId('toggle-enabled').click();
    await expect(
      page.locator('[data-testid="endpoint-state"][data-enabled="false"]').textContent(),
    ).resolves.toContain('manually');
    expect(api.store.endpoints.get(id)?.enabled).toBe(false);
    await page.getByTestId('toggle-enabled').click();
    await page.locator('[data-testid="endpoint-state"][data-enabled="true"]').waitFor();

    await page.getByTestId('delete-endpoint').click();
    await page.getByTestId('delete-endpoint-cancel').click();
    expect(api.store.endpoints.has(id)).toBe(true);
    await page.getByTestId('delete-endpoint').click();
    await page.getByTestId('delete-endpoint-confirm').click();
    await page.getByTestId('endpoint-table').waitFor();
    await expect(page.locator(`[data-endpoint-id="${id}"]`).count()).resolves.toBe(0);
    expect(api.store.endpoints.has(id)).toBe(false);
  });

  it('pages through the logs with "load more" and filters them', async () => {
    const ep = await addEndpoint(page, { url: receiver.url, events: '*', description: 'busy' });
    const endpoint = api.store.endpoints.get(ep);
    if (!endpoint) throw new Error('endpoint missing');
    for (let i = 0; i < 28; i++)
      api.store.sendTest(endpoint, i % 2 ? 'payment.completed' : 'streak.milestone');
    await waitUntil(() => api.store.deliveries.every((d) => d.status !== 'pending'));

    await page.goto(`${api.url}/#/logs?endpoint_id=${ep}`);
    await waitForRows(page, 25);
    await page.getByTestId('load-more').click();
    await waitForRows(page, 28);
    await expect(page.getByTestId('load-more').count()).resolves.toBe(0);

    await page.getByTestId('filter-type').selectOption('payment.completed');
    await waitForRows(page, 14);
    expect(page.url()).toContain('event_type=payment.completed');
    await page.getByTestId('filter-status').selectOption('failed');
    await page.getByTestId('no-deliveries').waitFor();
    await page.getByTestId('filter-status').selectOption('succeeded');
    await waitForRows(page, 14);
    await page.getByTestId('filter-since').fill('2099-01-01T00:00');
    await page.getByTestId('no-deliveries').waitFor();
    await page.getByTestId('filter-clear').click();
    await waitForRows(page, 25);
  });

  it('shows new deliveries live over the stream', async () => {
    const ep = await addEndpoint(page, { url: receiver.url, events: '*' });
    await page.goto(`${api.url}/#/logs?endpoint_id=${ep}`);
    await page.locator('[data-testid="live-mode"][data-mode="stream"]').waitFor();
    await page.getByTestId('no-deliveries').waitFor();
    const endpoint = api.store.endpoints.get(ep);
    if (!endpoint) throw new Error('endpoint missing');
    const event = api.store.sendTest(endpoint, 'certificate.earned');
    await page
      .locator(`[data-testid="delivery-row"][data-event-id="${event.id}"][data-status="succeeded"]`)
      .waitFor({ timeout: 5000 });
  });

  it("lets the admin read every account's logs, narrowed to one account", async () => {
    const tab = await browser.newPage();
    await signIn(tab, api.url, ADMIN);
    await tab.getByTestId('admin-endpoints-note').waitFor();
    const other = api.store.createAccount('Other');
    const endpoint = api.store.createEndpoint(other, { url: receiver.url, events: ['*'] });
    const event = api.store.sendTest(endpoint, 'streak.milestone');
    await tab.getByTestId('nav-logs').click();
    await tab.locator(`[data-testid="delivery-row"][data-event-id="${event.id}"]`).waitFor();
    await tab.getByTestId('filter-account').fill(other);
    await tab.waitForFunction(() => document.querySelectorAll('[data-testid="delivery-row"]').length === 1);
    await tab.close();
  });

  it('falls back to polling every 2 s when there is no stream', async () => {
    const noStream = await startFakeApi({ distDir: DASHBOARD_DIST, adminToken: ADMIN, stream: false });
    try {
      const account = noStream.store.createAccount('No stream');
      const other = noStream.store.createKey(account);
      const endpoint = noStream.store.createEndpoint(account, { url: receiver.url, events: ['*'] });
      const tab = await browser.newPage();
      await signIn(tab, noStream.url, other);
      await tab.goto(`${noStream.url}/#/logs`);
      await tab.locator('[data-testid="live-mode"][data-mode="polling"]').waitFor();
      const event = noStream.store.sendTest(endpoint, 'payment.failed');
      await tab
        .locator(`[data-testid="delivery-row"][data-event-id="${event.id}"]`)
        .waitFor({ timeout: 5000 });
      await tab.close();
    } finally {
      await noStream.close();
    }
  });
});

async function waitForRows(page: Page, count: number): Promise<void> {
  await page.waitForFunction(
    (n) => document.querySelectorAll('[data-testid="delivery-row"]').length === n,
    count,
  );
}

async function waitUntil(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
