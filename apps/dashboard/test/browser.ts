import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface TestBrowser {
  browser: Browser;
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

/**
 * Debian's Chromium with the flags this closed network needs (TOOLCHAIN.md). Playwright gives every launch a fresh
 * temporary `--user-data-dir` of its own (and refuses one in `args`), removed when the browser closes.
 */
export async function launchBrowser(): Promise<TestBrowser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    browser,
    newPage: async () => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      return page;
    },
    close: () => browser.close(),
  };
}

export async function signIn(page: Page, baseUrl: string, token: string): Promise<void> {
  await page.goto(`${baseUrl}/#/endpoints`);
  await page.getByTestId('token-input').fill(token);
  await page.getByTestId('sign-in').click();
  await page.getByTestId('nav-endpoints').waitFor();
}

/** Adds an endpoint through the form and returns its id (from the detail page it lands on). */
export async function addEndpoint(
  page: Page,
  input: { url: string; events: string[] | '*'; description?: string },
): Promise<string> {
  await page.getByTestId('nav-endpoints').click();
  await page.getByTestId('add-endpoint').click();
  await page.getByTestId('endpoint-url').fill(input.url);
  if (input.description) await page.getByTestId('endpoint-description').fill(input.description);
  if (input.events === '*') await page.getByTestId('events-all').check();
  else for (const type of input.events) await page.getByTestId(`event-${type}`).check();
  await page.getByTestId('create-endpoint').click();
  const id = page.getByTestId('endpoint-id');
  await id.waitFor();
  return (await id.textContent()) ?? '';
}
