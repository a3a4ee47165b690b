import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { addEndpoint, launchBrowser, signIn, type TestBrowser } from './browser.js';
import { startStack, type Stack } from './harness.js';

/**
 * The browser scenarios against the running system (see harness.ts for which one): a test event shows ✓
 * in Logs; a failing receiver shows ⏳ then ✗ after the compressed ladder; Retry turns it into ✓.
 */
describe('dashboard against the stack', () => {
  let stack: Stack;
  let browser: TestBrowser;
  let page: Page;
  let endpointId: string;
  let failedEventId: string;

  beforeAll(async () => {
    stack = await startStack();
    browser = await launchBrowser();
    page = await browser.newPage();
    const key = await stack.newAccountKey('E2E account');
    await signIn(page, stack.dashboardUrl, key);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  const explain = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      console.error(`stack (${stack.kind}) output:\n${stack.logs()}`);
      throw error;
    }
  };

  const sendTest = async (type: string): Promise<string> => {
    await page.goto(`${stack.dashboardUrl}/#/endpoints/${endpointId}`);
    await page.getByTestId('test-event-type').selectOption(type);
    await page.getByTestId('send-test').click();
    const id = page.getByTestId('test-event-id');
    await id.waitFor();
    return (await id.textContent()) ?? '';
  };

  const rowFor = (eventId: string) =>
    page.locator(`[data-testid="delivery-row"][data-event-id="${eventId}"]`);

  it('adds an endpoint, sends a test event and sees ✓ in Logs', () =>
    explain(async () => {
      stack.receiver.respondWith(200);
      // The API's own validation error, shown under the field it names.
      await page.getByTestId('add-endpoint').click();
      await page.getByTestId('endpoint-url').fill('ftp://files.example.com/hooks');
      await page.getByTestId('event-payment.completed').check();
      await page.getByTestId('create-endpoint').click();
      await page.getByTestId('field-error-url').waitFor();

      endpointId = await addEndpoint(page, {
        url: stack.receiver.url,
        events: ['payment.completed', 'submission.accepted'],
        description: 'E2E receiver',
      });
      expect(endpointId).toMatch(/\S/);
      await expect(page.getByTestId('endpoint-events').textContent()).resolves.toContain('payment.completed');

      const eventId = await sendTest('payment.completed');
      await page
        .locator('[data-testid="test-delivery-status"][data-status="succeeded"]')
        .waitFor({ timeout: 30_000 });

      await page.getByTestId('nav-logs').click();
      const row = rowFor(eventId);
      await row.locator('[data-status="succeeded"]').waitFor({ timeout: 30_000 });
      await expect(row.getByTestId('status').textContent()).resolves.toContain('✓');

      const received = stack.receiver.requests.find((r) => r.body.includes(eventId));
      expect(received?.headers['x-codeplanet-event-type']).toBe('payment.completed');
      expect(JSON.parse(received?.body ?? '{}')).toMatchObject({
        id: eventId,
        type: 'payment.completed',
        test: true,
      });
    }));

  it('shows a delivery to a failing receiver as ⏳, then ✗ once the ladder is exhausted', () =>
    explain(async () => {
      stack.receiver.respondWith(500);
      // Hold the first attempt so the pending state is on screen for certain, however fast the ladder is.
      const release = stack.receiver.hold();
      try {
        failedEventId = await sendTest('submission.accepted');
        await page.goto(`${stack.dashboardUrl}/#/logs?endpoint_id=${endpointId}`);
        await page.locator('[data-testid="live-mode"][data-mode="stream"]').waitFor();
        const row = rowFor(failedEventId);
        await row.locator('[data-testid="status"][data-status="pending"]').waitFor({ timeout: 30_000 });
        await expect(row.getByTestId('status').textContent()).resolves.toContain('⏳');
      } finally {
        release();
      }
      const row = rowFor(failedEventId);
      await row.locator('[data-testid="status"][data-status="failed"]').waitFor({ timeout: 60_000 });
      await expect(row.getByTestId('status').textContent()).resolves.toContain('✗');
      await expect(row.locator('td').nth(3).textContent()).resolves.toBe('6');
    }));

  it('retries the failed delivery from its detail page and sees ✓', () =>
    explain(async () => {
      stack.receiver.respondWith(200);
      await rowFor(failedEventId).getByTestId('delivery-link').click();
      await page.locator('[data-testid="delivery-status"][data-status="failed"]').waitFor();
      await expect(page.getByTestId('attempt').count()).resolves.toBe(6);
      await expect(page.getByTestId('payload').textContent()).resolves.toContain(failedEventId);
      await expect(page.getByTestId('request-headers').textContent()).resolves.toContain(
        'x-codeplanet-signature',
      );

      await page.getByTestId('retry-delivery').click();
      await page.getByTestId('retry-queued').waitFor();
      await page
        .locator('[data-testid="delivery-status"][data-status="succeeded"]')
        .waitFor({ timeout: 60_000 });
      await expect(page.getByTestId('delivery-status').textContent()).resolves.toContain('✓');
      await expect(page.locator('[data-testid="attempt"][data-ok="true"]').count()).resolves.toBe(1);
    }));
});
