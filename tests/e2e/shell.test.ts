// The console's shell in a real browser: sign-in page, navigation by role, the "not allowed" page for
// members on /admin/*, deep links, API paths that keep their JSON 404s, and the phone/desktop layouts.
import type { Page } from 'playwright-core';
import { DESKTOP, PHONE, startUiHarness, type UiHarness } from '@tests/fixtures/browser';
import { mountPrefixOf, renderIndexHtml } from '@api/http/ui-index-html';

let ui: UiHarness;

beforeAll(async () => {
  ui = await startUiHarness();
});

afterAll(async () => {
  await ui?.close();
});

const MEMBER = 'z-ui-shell-member';

async function hasNoSideScroll(page: Page): Promise<boolean> {
  return page.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth');
}

describe('signing in', () => {
  it('shows the sign-in page, with the login-token instructions, to a visitor without a session', async () => {
    const page = await ui.newAnonymousPage();
    await page.goto(`${ui.url}/keys`);
    await page.getByTestId('sign-in').waitFor();
    await expect(page.getByRole('heading', { name: 'Sign in to Keyhold' }).isVisible()).resolves.toBe(true);
    const text = await page.getByTestId('sign-in').innerText();
    expect(text).toContain('npm run keyhold -- login-token --role member --did <did>');
    expect(text).toContain('/login?token=');
    expect(await page.getByTestId('nav-drawer').count()).toBe(0);
  });

  it('signs in with a pasted login token and out again with the sign-out button', async () => {
    const page = await ui.newAnonymousPage();
    await page.goto(ui.url);
    await page.getByTestId('login-token-input').fill(ui.gateway.app.tokenFor('member', MEMBER));
    await page.getByTestId('login-token-submit').click();
    await page.getByTestId('user-role').waitFor();
    expect(await page.getByTestId('user-role').innerText()).toBe('member');
    expect(new URL(page.url()).search).toBe('');
    await page.getByTestId('sign-out').click();
    await page.getByTestId('sign-in').waitFor();
  });

  it('returns to the sign-in page when the login ends while a page is open', async () => {
    const page = await ui.newPage('member', MEMBER);
    await page.waitForURL(/\/keys$/);
    await page.context().clearCookies();
    // The next API call answers 401; the shell re-reads the session instead of leaving a broken page.
    await page.getByTestId('nav-usage').first().click();
    await page.getByTestId('sign-in').waitFor();
  });
});

describe('navigation follows the role', () => {
  it('gives an admin the admin section and lands on the first admin page', async () => {
    const page = await ui.newPage('admin');
    await page.getByTestId('nav-section-admin').waitFor();
    expect(await page.getByTestId('nav-section-user').isVisible()).toBe(true);
    expect(new URL(page.url()).pathname).toMatch(/^\/admin/);
    expect(await page.getByTestId('user-role').innerText()).toBe('admin');
  });

  it('gives a member only the user pages and lands on /keys', async () => {
    const page = await ui.newPage('member', MEMBER);
    await page.waitForURL(/\/keys$/);
    expect(await page.getByTestId('nav-section-user').isVisible()).toBe(true);
    expect(await page.getByTestId('nav-section-admin').count()).toBe(0);
    expect(await page.getByTestId('user-did').innerText()).toContain(MEMBER.slice(0, 8));
  });

  it.each(['/admin/providers', '/admin', '/admin/no-such-page'])('shows a member on %s the not-allowed page, never the page', async (path) => {
    const page = await ui.newPage('member', MEMBER);
    await page.goto(`${ui.url}${path}`);
    await page.getByTestId('not-allowed').waitFor();
    expect(await page.getByRole('heading', { name: 'Not allowed' }).isVisible()).toBe(true);
    expect(await page.getByTestId('not-allowed').innerText()).toMatch(/owner or admin/);
    expect(await page.getByTestId('nav-section-admin').count()).toBe(0);
    await page.getByTestId('go-home').click();
    await page.waitForURL(/\/keys$/);
  });

  it('never fetches the Blocklet Server login libraries standalone', async () => {
    const page = await ui.newAnonymousPage();
    const scripts: string[] = [];
    page.on('request', (request) => void (request.resourceType() === 'script' && scripts.push(request.url())));
    await page.goto(ui.url);
    await page.getByTestId('sign-in').waitFor();
    expect(scripts.length).toBeGreaterThan(0);
    expect(scripts.filter((url) => /blocklet|did-connect/.test(url))).toEqual([]);
  });

  it('shows the not-found page for an unknown page path', async () => {
    const page = await ui.newPage('member', MEMBER);
    await page.goto(`${ui.url}/no/such/page`);
    await page.getByTestId('not-found').waitFor();
  });
});

describe('deep links', () => {
  it.each([
    ['member', '/keys'],
    ['admin', '/admin/providers'],
  ] as const)('a %s reloading %s stays on that page', async (role, path) => {
    const page = await ui.newPage(role, role === 'member' ? MEMBER : undefined);
    await page.goto(`${ui.url}${path}`);
    await page.reload();
    await page.getByTestId(`nav-${path.slice(1).replace(/\//g, '-')}`).first().waitFor({ state: 'attached' });
    expect(new URL(page.url()).pathname).toBe(path);
    expect(await page.getByTestId('not-found').count()).toBe(0);
    expect(await page.getByTestId('not-allowed').count()).toBe(0);
    expect(await page.locator(`nav a[aria-current="page"]`).first().getAttribute('href')).toBe(path);
  });

  it('serves index.html with no-store and the security headers for page paths only', async () => {
    const res = await fetch(`${ui.url}/admin/providers`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'self'.*frame-ancestors 'self'/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    const html = await res.text();
    expect(html).toContain('<base href="/">');
    expect(html).not.toContain('__blocklet__.js');
    const asset = html.match(/src="\.\/(assets\/[^"]+\.js)"/)?.[1];
    const assetRes = await fetch(`${ui.url}/${asset}`);
    expect(assetRes.status).toBe(200);
    expect(assetRes.headers.get('cache-control')).toMatch(/max-age=31536000.*immutable/);
  });

  // Unauthenticated API paths may refuse (401) before they are routed; either way JSON, never the console.
  it.each([
    ['/api/x', 404],
    ['/api/admin/nothing', 401],
    ['/v1/nothing', 401],
    ['/.well-known/x', 404],
    ['/login/x', 404],
    ['/assets/missing.js', 404],
    ['/favicon.ico', 404],
  ])('answers %s with a JSON %i, not index.html', async (path, status) => {
      const res = await fetch(`${ui.url}${path}`);
      expect(res.status).toBe(status);
      expect(res.headers.get('content-type')).toMatch(/json/);
      expect(await res.text()).not.toContain('<div id="root">');
  });
});

describe('layout', () => {
  it('keeps a permanent drawer and no menu button at 1280x800', async () => {
    const page = await ui.newPage('member', MEMBER, { viewport: DESKTOP });
    await page.waitForURL(/\/keys$/);
    expect(await page.getByTestId('nav-menu-button').isVisible()).toBe(false);
    expect(await page.getByTestId('nav-drawer').isVisible()).toBe(true);
    expect(await hasNoSideScroll(page)).toBe(true);
  });

  it('hides the drawer behind a menu button at 390px and navigates from it', async () => {
    const page = await ui.newPage('admin', undefined, { viewport: PHONE });
    expect(await page.getByTestId('nav-drawer').isVisible()).toBe(false);
    await page.getByRole('button', { name: 'Open navigation' }).click();
    const drawer = page.getByTestId('nav-drawer-mobile');
    await drawer.getByTestId('nav-keys').click();
    await page.waitForURL(/\/keys$/);
    await drawer.waitFor({ state: 'hidden' });
    expect(await hasNoSideScroll(page)).toBe(true);
  });
});

describe('mount prefix (Blocklet Server)', () => {
  it.each([
    ['blocklet', '/keyhold', '/keyhold/'],
    ['blocklet', '/a/b/', '/a/b/'],
    ['blocklet', undefined, '/'],
    ['blocklet', '/x"><script>', '/'],
    ['blocklet', '/../etc', '/'],
    ['blocklet', '//evil.example', '/'],
    ['standalone', '/keyhold', '/'],
  ] as const)('%s with x-path-prefix %s uses base %s', (mode, header, base) => {
    expect(mountPrefixOf(mode, header)).toBe(base);
  });

  it('injects the base and, under Blocklet Server only, __blocklet__.js before the app script', () => {
    const template = '<html><head><script type="module" src="./assets/index.js"></script></head></html>';
    const html = renderIndexHtml(template, { prefix: '/keyhold/', mode: 'blocklet' });
    expect(html.indexOf('<base href="/keyhold/">')).toBeLessThan(html.indexOf('__blocklet__.js'));
    expect(html.indexOf('__blocklet__.js')).toBeLessThan(html.indexOf('./assets/index.js'));
    expect(renderIndexHtml(template, { prefix: '/', mode: 'standalone' })).not.toContain('__blocklet__');
  });
});
