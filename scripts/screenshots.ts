// `npm run screenshots`: starts the browser-test harness (a standalone Keyhold in front of the fake
// upstream) with demo data, visits every page as admin and as member at 1280x800, the keys page and the
// playground at phone width, and writes docs/screenshots/<page>.png.
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { DESKTOP, PHONE, startUiHarness, type UiHarness } from '../tests/fixtures/browser';
import { DEMO_MEMBER, seedDemoData } from '../tests/fixtures/browser/demo-data';

const OUT_DIR = path.resolve(__dirname, '..', 'docs', 'screenshots');
const log = (line: string) => process.stdout.write(`${line}\n`);

/** "/admin" -> admin-overview, "/admin/providers" -> admin-providers, "/keys" -> keys. */
function fileNameOf(pagePath: string, prefix = ''): string {
  const slug = pagePath === '/admin' ? 'admin-overview' : pagePath.replace(/^\//, '').replace(/\//g, '-');
  return `${prefix}${slug}.png`;
}

async function settle(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle');
  await page.getByTestId('loading').first().waitFor({ state: 'detached', timeout: 15_000 }).catch(() => undefined);
  // Charts animate in; let them finish before the picture.
  await page.waitForTimeout(700);
}

async function shoot(page: Page, name: string): Promise<void> {
  await settle(page);
  await page.screenshot({ path: path.join(OUT_DIR, name), fullPage: true });
  log(`  docs/screenshots/${name}`);
}

async function navPaths(page: Page): Promise<string[]> {
  const hrefs = await page.getByTestId('nav-drawer').locator('a[href]').evaluateAll((links) => links.map((a) => (a as unknown as { getAttribute(n: string): string | null }).getAttribute('href') ?? ''));
  return [...new Set(hrefs)];
}

/** Best effort: a page whose controls changed still gets its plain screenshot. */
async function tryStep(what: string, step: () => Promise<void>): Promise<void> {
  try {
    await step();
  } catch (err) {
    log(`  (skipped ${what}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)})`);
  }
}

async function shootAdmin(ui: UiHarness): Promise<void> {
  const page = await ui.newPage('owner');
  const paths = (await navPaths(page)).filter((p) => p.startsWith('/admin'));
  for (const pagePath of paths) {
    await page.goto(`${ui.url}${pagePath}`);
    if (pagePath === '/admin/providers') {
      await tryStep('expanding the first account', async () => {
        await settle(page);
        await page.getByTestId('account-expand').first().click({ timeout: 3000 });
      });
    }
    await shoot(page, fileNameOf(pagePath));
  }
}

async function shootMember(ui: UiHarness): Promise<void> {
  const page = await ui.newPage('member', DEMO_MEMBER);
  const paths = (await navPaths(page)).filter((p) => !p.startsWith('/admin'));
  for (const pagePath of paths) {
    await page.goto(`${ui.url}${pagePath}`);
    if (pagePath === '/playground') await tryStep('sending a playground message', () => sendPlaygroundMessage(page));
    await shoot(page, fileNameOf(pagePath));
  }
  await page.goto(`${ui.url}/admin/providers`);
  await shoot(page, 'not-allowed.png');

  const phone = await ui.newPage('member', DEMO_MEMBER, { viewport: PHONE });
  for (const pagePath of ['/keys', '/playground']) {
    await phone.goto(`${ui.url}${pagePath}`);
    if (pagePath === '/playground') await tryStep('sending a playground message', () => sendPlaygroundMessage(phone));
    await shoot(phone, fileNameOf(pagePath, 'phone-'));
  }
  await phone.getByRole('button', { name: 'Open navigation' }).click();
  await shoot(phone, 'phone-navigation.png');
}

async function sendPlaygroundMessage(page: Page): Promise<void> {
  await settle(page);
  const box = page.getByRole('textbox', { name: /message/i }).first();
  await box.fill('Write a haiku about keeping secrets.', { timeout: 3000 });
  await page.getByRole('button', { name: /send/i }).first().click({ timeout: 3000 });
  await page.getByText(/Echo /).first().waitFor({ timeout: 10_000 });
}

async function main(): Promise<void> {
  fs.mkdirSync(OUT_DIR, { recursive: true });
  const ui = await startUiHarness();
  try {
    log('Seeding demo data…');
    await seedDemoData(ui, (line) => log(`  ${line}`));
    const signIn = await ui.newAnonymousPage({ viewport: DESKTOP });
    await signIn.goto(ui.url);
    await shoot(signIn, 'sign-in.png');
    log('As admin (1280x800):');
    await shootAdmin(ui);
    log('As member (1280x800, and 390px for keys and playground):');
    await shootMember(ui);
  } finally {
    await ui.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`screenshots failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
