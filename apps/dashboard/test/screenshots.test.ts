import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { addEndpoint, launchBrowser, signIn, type TestBrowser } from './browser.js';
import { startStack, type Stack } from './harness.js';
import { startReceiver, type Receiver } from './receiver.js';

/**
 * Screenshots of the main pages with a little realistic traffic. Written to `.test-results/screenshots` on every
 * run; `pnpm --filter @codeplanet/dashboard screenshots` writes them to `docs/screenshots` for the README.
 */
const OUT = resolve(process.env.SCREENSHOTS_DIR ?? '.test-results/screenshots');

describe('screenshots of the main pages', () => {
  let stack: Stack;
  let failing: Receiver;
  let browser: TestBrowser;
  let page: Page;
  const ids: { billing?: string; crm?: string; failedDelivery?: string } = {};

  beforeAll(async () => {
    await mkdir(OUT, { recursive: true });
    stack = await startStack();
    failing = await startReceiver();
    failing.respondWith(500);
    browser = await launchBrowser();
    page = await browser.newPage();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await failing?.close();
    await stack?.stop();
  });

  const shot = (name: string) => page.screenshot({ path: `${OUT}/${name}.png`, fullPage: true });

  const sendTest = async (endpointId: string, type: string, final = true): Promise<void> => {
    await page.goto(`${stack.dashboardUrl}/#/endpoints/${endpointId}`);
    await page.getByTestId('test-event-type').selectOption(type);
    await page.getByTestId('send-test').click();
    await page.getByTestId('test-event-id').waitFor();
    if (final)
      await page
        .locator('[data-testid="test-delivery-status"]:not([data-status="pending"])')
        .waitFor({ timeout: 60_000 });
  };

  it('sign-in and add-endpoint pages', async () => {
    await page.goto(`${stack.dashboardUrl}/`);
    await page.getByTestId('sign-in-form').waitFor();
    await shot('sign-in');
    await signIn(page, stack.dashboardUrl, await stack.newAccountKey('Screenshots'));
    await page.getByTestId('add-endpoint').click();
    await page.getByTestId('endpoint-url').fill('https://billing.example.com/hooks/codeplanet');
    await page.getByTestId('event-payment.completed').check();
    await page.getByTestId('event-payment.failed').check();
    await page.getByTestId('endpoint-description').fill('Billing service');
    await shot('add-endpoint');
  });

  it('endpoint list and endpoint detail', async () => {
    ids.billing = await addEndpoint(page, {
      url: stack.receiver.url,
      events: ['payment.completed', 'payment.failed', 'subscription.created'],
      description: 'Billing service',
    });
    await addEndpoint(page, {
      url: `${stack.receiver.url}/analytics`,
      events: '*',
      description: 'Learning analytics',
    });
    ids.crm = await addEndpoint(page, {
      url: failing.url,
      events: ['submission.accepted', 'certificate.earned'],
      description: 'Legacy CRM',
    });
    const archived = await addEndpoint(page, {
      url: `${stack.receiver.url}/old`,
      events: ['streak.milestone'],
      description: 'Old rewards service',
    });
    await page.getByTestId('toggle-enabled').click();
    await page.locator('[data-testid="endpoint-state"][data-enabled="false"]').waitFor();
    expect(archived).toBeTruthy();

    for (const type of ['subscription.created', 'payment.failed', 'payment.completed'])
      await sendTest(ids.billing, type);
    await sendTest(ids.crm, 'submission.accepted');

    await page.getByTestId('nav-endpoints').click();
    await page.getByTestId('endpoint-row').nth(3).waitFor();
    await page.waitForFunction(() =>
      [...document.querySelectorAll('[data-testid="endpoint-success-rate"]')].every(
        (e) => e.textContent !== '…',
      ),
    );
    await shot('endpoint-list');

    await page.goto(`${stack.dashboardUrl}/#/endpoints/${ids.billing}`);
    await sendTest(ids.billing, 'payment.completed');
    await page.locator('[data-testid="stats-success-rate"]').waitFor();
    await shot('endpoint-detail');
  });

  it('logs, with a delivery still pending', async () => {
    const release = failing.hold();
    try {
      await sendTest(ids.crm ?? '', 'certificate.earned', false);
      await page.getByTestId('nav-logs').click();
      await page.locator('[data-testid="delivery-row"][data-status="pending"]').waitFor({ timeout: 30_000 });
      await page.locator('[data-testid="delivery-row"][data-status="failed"]').waitFor({ timeout: 30_000 });
      await shot('logs');
      ids.failedDelivery =
        (await page
          .locator('[data-testid="delivery-row"][data-status="failed"]')
          .first()
          .getAttribute('data-delivery-id')) ?? '';
    } finally {
      release();
    }
  });

  it('delivery detail of a failed delivery', async () => {
    await page.goto(`${stack.dashboardUrl}/#/deliveries/${ids.failedDelivery ?? ''}`);
    await page.getByTestId('payload').waitFor();
    await page.getByTestId('attempt').nth(5).waitFor();
    await page.getByTestId('attempt').first().locator('summary').click();
    await shot('delivery-detail');
  });
});
