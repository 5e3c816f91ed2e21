// An admin in the browser: adds a provider account and a credential with a random secret, sees it
// only masked, tests the connection, replaces the secret; writes a rule in the YAML editor, sees an
// invalid file's error at its line, asks Explain which rule decides; finds all of it in the audit log
// with the chain intact; rotates the keyring. No page, response or storage ever holds the secrets.
import type { Page } from 'playwright-core';
import { PHONE, randomSecret, startUiHarness, type UiHarness } from '@tests/fixtures/browser';
import { expectedMask, pageScrollsSideways, replaceEditorText, visibleText, waitForTotalRequests } from './admin/helpers';

const ACCOUNT = 'ui-openai';
const MODEL = 'gpt-4o-mini';
const RULE = 'ui-members-mini';

let ui: UiHarness;
let page: Page;
/** The credential's secret, and the one that replaces it; both must only ever appear masked. */
const secret = randomSecret('sk-ui-first-');
const replacement = randomSecret('sk-ui-second-');
/** A secret the fake upstream refuses. */
const wrong = randomSecret('sk-ui-wrong-');

beforeAll(async () => {
  ui = await startUiHarness();
  ui.acceptApiKey('openai', secret);
  ui.acceptApiKey('openai', replacement);
  page = await ui.newPage('admin', 'z-ui-admin');
});
afterAll(() => ui?.close());

const accountRow = () => page.getByTestId(`account-${ACCOUNT}`);
const credentials = () => page.getByTestId(`credentials-${ACCOUNT}`);

describe('providers', () => {
  it('adds an openai account whose base URL is the fake upstream', async () => {
    await page.goto('/admin/providers');
    await page.getByTestId('empty-state').getByText('No provider accounts yet').waitFor();
    await page.getByTestId('account-add').click();
    await page.getByTestId('account-name').fill('Not A Slug');
    await page.getByTestId('account-save').click();
    // Checked before sending, shown under the field.
    await page.getByText('a lowercase slug: a-z, 0-9 and "-", at most 63 characters').waitFor();

    await page.getByTestId('account-name').fill(ACCOUNT);
    await page.getByTestId('account-baseUrl').fill(`${ui.gateway.fake.url}/v1`);
    await page.getByTestId('account-enabledModels').fill(MODEL);
    await page.getByTestId('account-save').click();
    await accountRow().waitFor();
    // Known once the account's credentials have loaded.
    await accountRow().getByTestId('account-status').getByText('No credentials', { exact: true }).waitFor();
  });

  it('shows the server’s 400 on the field it names', async () => {
    await page.getByTestId('account-add').click();
    await page.getByTestId('account-name').fill(ACCOUNT);
    await page.getByTestId('account-save').click();
    await page.getByText('an account with this name already exists').waitFor();
    await page.getByRole('button', { name: 'Cancel' }).click();
  });

  it('sets the account’s own limits: a bad number on its field, a good one stored', async () => {
    await accountRow().getByTestId('account-edit').click();
    await page.getByTestId('account-limits.rpm').fill('0');
    await page.getByTestId('account-save').click();
    await page.getByText('a whole number from 1 to 1,000,000, or empty').waitFor();
    await page.getByTestId('account-limits.rpm').fill('120');
    await page.getByTestId('account-limits.concurrency').fill('8');
    await page.getByTestId('account-save').click();
    await page.getByTestId('account-save').waitFor({ state: 'detached' });
    const accounts = await ui.gateway.app.call('GET', '/api/admin/accounts', { role: 'owner' });
    expect(accounts.json.data.find((a: { name: string }) => a.name === ACCOUNT).limits).toEqual({ rpm: 120, concurrency: 8 });
    // Reopened, the form shows what is stored.
    await accountRow().getByTestId('account-edit').click();
    expect(await page.getByTestId('account-limits.rpm').inputValue()).toBe('120');
    await page.getByRole('button', { name: 'Cancel' }).click();
  });

  it('adds a credential and shows it masked, the secret nowhere on the page', async () => {
    // A new account opens on its credentials.
    await credentials().waitFor();
    await credentials().getByTestId('credential-add').click();
    const input = page.getByTestId('secret-apiKey');
    await expect(input.getAttribute('type')).resolves.toBe('password');
    await expect(input.getAttribute('autocomplete')).resolves.toBe('off');
    await input.fill(secret);
    await page.getByTestId('credential-save').click();

    const masked = credentials().getByTestId('credential-masked');
    await masked.waitFor();
    await expect(masked.textContent()).resolves.toContain(expectedMask(secret));
    expect(await visibleText(page)).not.toContain(secret.slice(4, -4));
    expect(await page.content()).not.toContain(secret.slice(4, -4));
  });

  it('tests the connection and reports success in words', async () => {
    await credentials().getByTestId('credential-test').click();
    const result = credentials().getByTestId('credential-test-result');
    await result.waitFor();
    await expect(result.textContent()).resolves.toMatch(/main: connected \(HTTP 200 in \d+ ms, 3 models listed\)/);
    await credentials().getByTestId('credential-status').getByText('Active', { exact: true }).waitFor();
    await accountRow().getByTestId('account-status').getByText('Healthy', { exact: true }).waitFor();
  });

  it('replaces the secret after a confirmation, and the new one works', async () => {
    await credentials().getByTestId('credential-rotate').click();
    await page.getByTestId('secret-apiKey').fill(replacement);
    await page.getByTestId('rotate-continue').click();
    await page.getByTestId('rotate-confirm-text').waitFor();
    await page.getByTestId('rotate-confirm').click();
    await credentials().getByTestId('credential-masked').getByText(expectedMask(replacement)).waitFor();

    // Reopened, the dialog has forgotten the value typed before.
    await credentials().getByTestId('credential-rotate').click();
    await expect(page.getByTestId('secret-apiKey').inputValue()).resolves.toBe('');
    await page.getByRole('button', { name: 'Cancel' }).click();

    await credentials().getByTestId('credential-test').click();
    await credentials().getByTestId('credential-test-result').getByText(/connected/).waitFor();
  });

  it('reports a refused credential in words, marks it failing, and deletes it after a confirmation', async () => {
    await credentials().getByTestId('credential-add').click();
    await page.getByTestId('credential-name').fill('backup');
    await page.getByTestId('secret-apiKey').fill(wrong);
    await page.getByTestId('credential-save').click();
    const card = credentials().getByTestId('credential-backup');
    await card.waitFor();

    await card.getByTestId('credential-test').click();
    await credentials().getByTestId('credential-test-result').getByText(/^backup: connection failed \(HTTP 401\): /).waitFor();
    await card.getByTestId('credential-status').getByText('Failing', { exact: true }).waitFor();
    await card.getByTestId('credential-last-error').waitFor();
    await accountRow().getByTestId('account-status').getByText('1 of 2 credentials active').waitFor();

    await card.getByTestId('credential-delete').click();
    await page.getByTestId('confirm-dialog').getByText('Delete credential backup?').waitFor();
    await page.getByTestId('confirm-button').click();
    await card.waitFor({ state: 'detached' });
    await accountRow().getByTestId('account-status').getByText('Healthy', { exact: true }).waitFor();
  });
});

describe('access rules', () => {
  const validYaml = ['authz_rules:', `  - name: ${RULE}`, `    models: [${ACCOUNT}/${MODEL}]`, '    roles: [member]', '    effect: allow', '    priority: 10', ''].join('\n');

  it('saves a rule written in the YAML editor, which then shows in the rules table', async () => {
    await page.goto('/admin/rules');
    await page.getByTestId('empty-state').getByText('No access rules').waitFor();
    await page.getByTestId('rules-tab-yaml').click();
    const editor = page.getByTestId('yaml-editor');
    await editor.locator('.cm-content').waitFor();
    await replaceEditorText(page, editor, validYaml);
    await page.getByTestId('yaml-save').click();
    await page.getByTestId('yaml-saved').waitFor();

    await page.getByTestId('rules-tab-table').click();
    const table = page.getByTestId('rules-table');
    await table.getByText(RULE).waitFor();
    await expect(table.textContent()).resolves.toContain(`${ACCOUNT}/${MODEL}`);
  });

  it('shows an invalid file’s error inline at its line, and saves nothing', async () => {
    await page.getByTestId('rules-tab-yaml').click();
    const editor = page.getByTestId('yaml-editor');
    await editor.locator('.cm-content').waitFor();
    await replaceEditorText(page, editor, validYaml.replace('effect: allow', 'effect: maybe'));
    await page.getByTestId('yaml-save').click();

    const errors = page.getByTestId('yaml-errors');
    await errors.getByText(/^Line 5: authz_rules\[0\]\.effect: /).waitFor();
    await editor.locator('.cm-yaml-error-line[data-error-line="5"]').waitFor();
    await expect(editor.locator('.cm-yaml-error-marker').count()).resolves.toBe(1);

    // A syntax error shows while typing, before any save.
    await replaceEditorText(page, editor, 'authz_rules:\n  - models: [a/b\n    effect: allow\n');
    await errors.getByText(/YAML syntax error/).first().waitFor();

    await page.getByTestId('rules-tab-table').click();
    await page.getByTestId('rules-table').getByText(RULE).waitFor();
  });

  it('explains which rule lets a member use the model', async () => {
    await page.getByTestId('rules-tab-explain').click();
    await page.getByTestId('explain-model').fill(`${ACCOUNT}/${MODEL}`);
    await page.getByTestId('explain-run').click();
    const result = page.getByTestId('explain-result');
    await result.waitFor();
    await expect(result.textContent()).resolves.toContain('Allowed');
    await expect(page.getByTestId('explain-deciding-rule').textContent()).resolves.toContain(`Deciding rule: ${RULE}`);
  });
});

const MEMBER = 'z-ui-member';
/** The member's key, used in the usage tests and revoked in the keys test. */
let memberKey = { id: '', key: '' };

describe('usage', () => {
  it('shows a member’s calls on the overview and the usage page, with a CSV download', async () => {
    memberKey = await ui.createKey('member', MEMBER);
    const client = ui.client(memberKey.key);
    for (let i = 0; i < 2; i++) await client.chat.completions.create({ model: `${ACCOUNT}/${MODEL}`, messages: [{ role: 'user', content: 'hello' }] });

    await page.goto('/admin');
    await expect(waitForTotalRequests(page, 'overview-refresh', 2)).resolves.toBe(2);
    await expect(page.getByTestId('top-models').textContent()).resolves.toContain(`${ACCOUNT}/${MODEL}`);
    await expect(page.getByTestId('top-users').textContent()).resolves.toContain(MEMBER);
    await page.getByTestId('chart-requests').locator('svg').first().waitFor();

    await page.goto('/admin/usage');
    await expect(waitForTotalRequests(page, 'usage-refresh', 2)).resolves.toBe(2);
    await page.getByLabel('Group by').click();
    await page.getByRole('option', { name: 'User' }).click();
    await page.getByTestId('usage-groups').getByText(MEMBER).waitFor();

    const href = await page.getByTestId('usage-csv-link').getAttribute('href');
    expect(href).toMatch(/^\/api\/admin\/usage\?since=.+&format=csv$/);
    const csv = await page.request.get(href ?? '');
    expect(csv.status()).toBe(200);
    expect(csv.headers()['content-type']).toContain('text/csv');
    expect(csv.headers()['content-disposition']).toContain('attachment');
    expect((await csv.text()).split(`${ACCOUNT}/${MODEL}`).length - 1).toBe(2);
  });
});

describe('API keys', () => {
  it('finds a member’s key by owner and revokes it after a confirmation; the key then stops working', async () => {
    await page.goto('/admin/keys');
    await page.getByTestId('keys-filter-owner').fill(MEMBER);
    const row = page.getByTestId(`row-${memberKey.id}`);
    await row.waitFor();
    await row.getByTestId('key-revoke').click();
    await page.getByTestId('confirm-dialog').getByText('Revoke test key?').waitFor();
    await page.getByTestId('confirm-button').click();
    // The default filter shows active keys only.
    await row.waitFor({ state: 'detached' });
    await expect(
      ui.client(memberKey.key).chat.completions.create({ model: `${ACCOUNT}/${MODEL}`, messages: [{ role: 'user', content: 'hello' }] }),
    ).rejects.toMatchObject({ status: 401 });
  });
});

describe('audit log', () => {
  it('lists what the admin just did, and the chain verifies', async () => {
    await page.goto('/admin/audit');
    const table = page.getByTestId('audit-table');
    await table.getByTestId('audit-action').first().waitFor();
    const actions = await table.getByTestId('audit-action').allTextContents();
    const expected = ['account.created', 'credential.created', 'credential.tested', 'credential.secret_replaced', 'credential.deleted', 'rules.replaced', 'api_key.revoked'];
    for (const action of expected) {
      expect(actions).toContain(action);
    }
    const chain = page.getByTestId('audit-chain-status');
    await chain.getByText(/^Chain ok · \d+ events$/).waitFor();
    await expect(chain.getAttribute('data-chain')).resolves.toBe('ok');
  });

  it('filters by action and shows an event’s masked snapshot', async () => {
    await page.getByTestId('audit-filter-action').fill('credential.created');
    const filtered = page.waitForResponse((res) => res.url().includes('/api/admin/audit?') && res.url().includes('action=credential.created'));
    await page.getByTestId('audit-apply').click();
    await filtered;
    const rows = page.getByTestId('audit-table').getByTestId('audit-action');
    // Two credentials were created (main, then backup): the third row of the unfiltered list goes away.
    await rows.nth(2).waitFor({ state: 'detached' });
    await expect(rows.allTextContents()).resolves.toEqual(['credential.created', 'credential.created']);
    // Newest first: the second row is main's creation.
    await rows.nth(1).click();
    const after = page.getByTestId('audit-after');
    await after.waitFor();
    await expect(after.textContent()).resolves.toContain(expectedMask(secret));
  });
});

describe('settings', () => {
  it('rotates the keyring after a confirmation and reports the outcome', async () => {
    await page.goto('/admin/settings');
    await page.getByTestId('keyring-versions').getByText('v1').waitFor();
    await page.getByTestId('keyring-rotate').click();
    await page.getByTestId('confirm-button').click();
    const result = page.getByTestId('rotation-result');
    await result.waitFor();
    await expect(result.textContent()).resolves.toMatch(/v2 is active and all \d+ stored secrets are sealed under it/);
    await page.getByTestId('keyring-versions').getByText('v2').waitFor();
  });

  it('shows a value out of range on its field', async () => {
    await page.getByTestId('settings-maxKeyLifetimeDays').fill('99999');
    await page.getByTestId('settings-save').click();
    await page.getByText('a whole number from 1 to 3,650').waitFor();
  });
});

describe('every admin page', () => {
  const paths = ['/admin', '/admin/providers', '/admin/models', '/admin/rules', '/admin/keys', '/admin/usage', '/admin/audit', '/admin/settings'];

  it.each(paths)('%s renders at phone width without page-level side scroll or errors', async (path) => {
    const phone = await ui.newPage('admin', 'z-ui-admin', { viewport: PHONE });
    const errors: string[] = [];
    phone.on('pageerror', (err) => errors.push(err.message));
    await phone.goto(path);
    await phone.locator('h1').first().waitFor();
    await phone.getByTestId('loading').first().waitFor({ state: 'detached' });
    expect(await pageScrollsSideways(phone)).toBe(false);
    expect(await phone.getByTestId('error-alert').count()).toBe(0);
    expect(errors).toEqual([]);
    await phone.close();
  });
});

it('never sends, renders or stores any of the plaintext secrets', async () => {
  await ui.secretScanner.expectClean([secret, replacement, wrong], [page]);
});
