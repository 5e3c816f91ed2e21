// No page of the console ever carries a plaintext credential: an admin and a member visit every page
// in the navigation, open the credential and audit dialogs, fetch the export links, and the scanner then
// searches every response body, page HTML, localStorage and sessionStorage for the secrets.
import type { Page } from 'playwright-core';
import { createSecretScanner, randomSecret, startUiHarness, type UiHarness } from '@tests/fixtures/browser';

let ui: UiHarness;
const OPENAI_SECRET = randomSecret('sk-leakcheck-');
const AWS_PAIR = { accessKeyId: 'AKIALEAKCHECK0000001', secretAccessKey: randomSecret('aws/leakcheck+') };
const MEMBER = 'z-ui-nosecrets-member';
let memberKey = '';

beforeAll(async () => {
  ui = await startUiHarness();
  ui.acceptApiKey('openai', OPENAI_SECRET);
  ui.acceptAwsKeyPair(AWS_PAIR);
  await ui.addAccount({ type: 'openai', name: 'leakcheck', enabledModels: ['model-a', 'model-b'], credentials: [{ name: 'main', value: { api_key: OPENAI_SECRET } }] });
  await ui.addAccount({
    type: 'aws-bedrock',
    name: 'bedrock',
    enabledModels: ['model-a'],
    credentials: [{ name: 'pair', type: 'access_key_pair', value: { access_key_id: AWS_PAIR.accessKeyId, secret_access_key: AWS_PAIR.secretAccessKey } }],
  });
  // Usage for the charts and tables, then one upstream error that echoes the credential back, so the
  // credential's "last error" and the audit trail hold what the scrubber made of it.
  memberKey = (await ui.createKey('member', MEMBER, { name: 'leakcheck key' })).key;
  const client = ui.client(memberKey);
  for (const model of ['leakcheck/model-a', 'leakcheck/model-b', 'bedrock/model-a']) {
    await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'hello' }] });
  }
  ui.gateway.fake.setModeFor(OPENAI_SECRET, { kind: 'echo-credential', status: 401 });
  await client.chat.completions.create({ model: 'leakcheck/model-a', messages: [{ role: 'user', content: 'hi' }] }).catch(() => undefined);
});

afterAll(async () => {
  await ui?.close();
});

const SECRETS = () => [OPENAI_SECRET, AWS_PAIR.secretAccessKey, memberKey];

/** The page paths in the signed-in user's navigation (kept in sync with adminPages/userPages by the shell). */
async function navPaths(page: Page): Promise<string[]> {
  const hrefs = await page.getByTestId('nav-drawer').locator('a[href]').evaluateAll((links) => links.map((a) => (a as unknown as { getAttribute(name: string): string | null }).getAttribute('href') ?? ''));
  return [...new Set(hrefs)];
}

/** Waits until the page has finished loading its data (no spinner, no request in flight). */
async function settle(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle');
  await page.getByTestId('loading').first().waitFor({ state: 'detached', timeout: 15_000 }).catch(() => undefined);
}

/** Fetches every download link of the page inside the page, so the scanner sees those bodies too. */
async function fetchDownloads(page: Page): Promise<number> {
  const hrefs = await page.locator('a[download], a[href*="format=csv"], a[href*="/export"]').evaluateAll((links) => links.map((a) => (a as unknown as { href: string }).href));
  for (const href of hrefs) await page.evaluate(`fetch(${JSON.stringify(href)}, { credentials: 'same-origin' }).then((r) => r.text())`);
  return hrefs.length;
}

async function visitAll(page: Page, paths: string[]): Promise<void> {
  for (const path of paths) {
    await page.goto(`${ui.url}${path}`);
    await settle(page);
    expect(await page.getByTestId('not-found').count()).toBe(0);
    await fetchDownloads(page);
  }
}

async function clickEach(page: Page, selector: string, then: () => Promise<void>): Promise<number> {
  const count = await page.locator(selector).count();
  for (let i = 0; i < count; i++) {
    await page.locator(selector).nth(i).click();
    await then();
  }
  return count;
}

const closeDialog = (page: Page) => async () => {
  await settle(page);
  await page.keyboard.press('Escape');
  await page.locator('.MuiDialog-root, .MuiDrawer-modal').first().waitFor({ state: 'detached', timeout: 5_000 }).catch(() => undefined);
};

describe('no plaintext credential anywhere in the console', () => {
  it('the scanner finds a secret in a response body, in page HTML and in localStorage (it can fail)', async () => {
    const canary = randomSecret('sk-canary-');
    const scanner = createSecretScanner();
    const context = await ui.browser.newContext();
    scanner.watch(context);
    const page = await context.newPage();
    await page.route('**/canary', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ api_key: canary }) }));
    await page.goto(`${ui.url}/canary`);
    expect((await scanner.find([canary])).map((h) => h.where)).toEqual([`${ui.url}/canary`]);
    await page.goto(`${ui.url}/`);
    await page.evaluate(`localStorage.setItem('k', ${JSON.stringify(`x${canary.slice(2)}`)})`);
    const inStorage = await scanner.find([canary], [page]);
    expect(inStorage.map((h) => h.where)).toContain(`localStorage of ${ui.url}/`);
    await expect(scanner.expectClean([canary], [page])).rejects.toThrow(/Plaintext secret found in/);
    await context.close();
  });

  it('an admin visits every page and opens the credential, account and audit dialogs', async () => {
    const page = await ui.newPage('owner');
    const paths = await navPaths(page);
    expect(paths).toEqual(expect.arrayContaining(['/admin', '/admin/providers', '/admin/audit', '/keys', '/usage', '/playground']));
    await visitAll(page, paths);

    await page.goto(`${ui.url}/admin/providers`);
    await settle(page);
    expect(await clickEach(page, '[data-testid="account-expand"]', () => settle(page))).toBeGreaterThanOrEqual(2);
    expect(await page.getByTestId('credential-masked').count()).toBeGreaterThanOrEqual(2);
    await clickEach(page, '[data-testid="credential-test"]', () => settle(page));
    expect(await clickEach(page, '[data-testid="credential-rotate"]', closeDialog(page))).toBeGreaterThanOrEqual(2);
    expect(await clickEach(page, '[data-testid="account-edit"]', closeDialog(page))).toBeGreaterThanOrEqual(2);
    await ui.secretScanner.expectClean(SECRETS(), [page]);

    await page.goto(`${ui.url}/admin/audit`);
    await settle(page);
    const rows = '[data-testid="audit-table"] [data-testid^="row-"]';
    expect(await page.locator(rows).count()).toBeGreaterThan(0);
    // The newest events (credential and account changes) open their masked before/after details.
    const opened = Math.min(4, await page.locator(rows).count());
    for (let i = 0; i < opened; i++) {
      await page.mouse.move(0, 0); // a hover tooltip from the last row must not cover the next one
      await page.locator(rows).nth(i).click({ position: { x: 8, y: 8 } });
      await page.getByTestId('audit-detail').waitFor();
      await ui.secretScanner.expectClean(SECRETS(), [page]);
      await closeDialog(page)();
    }
  });

  it('a member visits every page it has', async () => {
    const page = await ui.newPage('member', MEMBER);
    const paths = await navPaths(page);
    expect(paths).toEqual(expect.arrayContaining(['/keys', '/usage', '/playground']));
    expect(paths.some((p) => p.startsWith('/admin'))).toBe(false);
    await visitAll(page, paths);
    await ui.secretScanner.expectClean(SECRETS(), [page]);
  });

  it('recorded a body for every response the browser received', async () => {
    // Page loads, assets, API answers and downloads: a scanner that saw nothing would prove nothing.
    expect(await ui.secretScanner.count()).toBeGreaterThan(50);
    await ui.secretScanner.expectClean(SECRETS());
  });
});
