// A member in the browser: creates an API key and sees its secret exactly once, calls a model with
// it through the openai client, finds the call on the usage page, streams a reply in the playground,
// rotates and revokes the key. The member is allowed one model by an admin rule (default policy deny).
import fs from 'node:fs';
import OpenAI from 'openai';
import type { Locator, Page } from 'playwright-core';
import { PHONE, startUiHarness, type UiHarness } from '@tests/fixtures/browser';
import { GOOD_KEYS } from '@tests/fixtures/fake-upstream/accounts';
import { ALLOWED_MODEL, DENIED_MODEL, MEMBER_DID, allowMemberOneModel, disableRule, setMemberRpm, type MemberSetup } from './member/setup';
import { countOccurrences, overflowsSideways, sampleStreamingAnswer, waitForUsageRequests } from './member/pages';

let ui: UiHarness;
let setup: MemberSetup;
let page: Page;
/** The key created in the first test; later tests use it and then rotate and revoke it. */
let secret = '';
let keyId = '';

// The part after "kh-<id>_": the prefix is shown in the list on purpose, this part never is.
const secretPart = (key: string) => key.slice(key.indexOf('_') + 1);

beforeAll(async () => {
  ui = await startUiHarness();
  setup = await allowMemberOneModel(ui);
  page = await ui.newPage('member', MEMBER_DID);
});
afterEach(() => ui?.gateway.fake.setMode({ kind: 'normal' }));
afterAll(() => ui?.close());

async function createKeyInUi(name: string, fill: (dialog: Locator) => Promise<void> = async () => undefined) {
  await page.getByTestId('create-key').first().click();
  const dialog = page.getByTestId('create-key-dialog');
  await dialog.getByTestId('key-name').fill(name);
  await fill(dialog);
  await dialog.getByTestId('create-key-submit').click();
}

it('starts with empty states that say what to do', async () => {
  await page.goto('/usage');
  await page.getByTestId('empty-state').getByText('No usage in this period').waitFor();
  await page.goto('/keys');
  await page.getByTestId('empty-state').getByText('No API keys yet').waitFor();
});

it('creates a key and shows its secret once, with a copy button and a warning', async () => {
  await page.goto('/keys');
  await createKeyInUi('ci script', async (dialog) => {
    await dialog.getByTestId('key-models-input').fill(ALLOWED_MODEL);
    await dialog.getByTestId('key-models-input').press('Enter');
    await dialog.getByTestId('key-rpm').fill('60');
  });

  const shown = page.getByTestId('new-key-secret');
  await shown.waitFor();
  secret = ((await shown.textContent()) ?? '').trim();
  expect(secret).toMatch(/^kh-[0-9A-Za-z]{16}_[0-9A-Za-z]{43}$/);
  keyId = secret.slice(3, 19);
  await expect(page.getByTestId('secret-warning').textContent()).resolves.toContain('will not be shown again');
  await expect(page.getByRole('button', { name: /^Copy / }).count()).resolves.toBe(1);
  expect(countOccurrences(await page.content(), secret)).toBe(1);

  await page.getByTestId('secret-done').click();
  await page.getByTestId('secret-dialog').waitFor({ state: 'detached' });
  const row = page.getByTestId(`row-${keyId}`);
  await row.waitFor();
  await expect(row.textContent()).resolves.toContain(`kh-${keyId}_`);
  await expect(page.getByTestId(`key-status-${keyId}`).textContent()).resolves.toBe('active');
  expect(await page.content()).not.toContain(secretPart(secret));

  // Reloaded, and reopened from another page: the list never brings the secret back.
  await page.reload();
  await row.waitFor();
  expect(await page.content()).not.toContain(secretPart(secret));
  await page.goto('/usage');
  await page.goto('/keys');
  await row.waitFor();
  expect(await page.content()).not.toContain(secretPart(secret));
  // Only the create answer ever carried it: no list or detail response, page, or storage.
  const hits = await ui.secretScanner.find([secretPart(secret)], [page]);
  expect([...new Set(hits.map((h) => h.where))]).toEqual([`${ui.url}/api/me/keys`]);
});

it('refuses an expiry beyond the server maximum, in words beside the field', async () => {
  await page.goto('/keys');
  await createKeyInUi('too long', async (dialog) => {
    await dialog.getByLabel('On a date').check();
    const inTwoYears = new Date(Date.now() + 2 * 365 * 86_400_000).toISOString().slice(0, 10);
    await dialog.getByTestId('key-expiry-date').fill(inTwoYears);
  });
  const dialog = page.getByTestId('create-key-dialog');
  await dialog.getByText(/keys may live at most 365 days/).first().waitFor();
  await expect(page.getByTestId('secret-dialog').count()).resolves.toBe(0);
  await dialog.getByRole('button', { name: 'Cancel' }).click();
});

it('lets the key call its model through the openai client, and nothing else', async () => {
  const client = ui.client(secret);
  const completion = await client.chat.completions.create({ model: ALLOWED_MODEL, messages: [{ role: 'user', content: 'hello from the key' }] });
  expect(completion.choices[0].message.content).toBe('Echo model-a: hello from the key');
  await expect(client.chat.completions.create({ model: DENIED_MODEL, messages: [{ role: 'user', content: 'hi' }] })).rejects.toBeInstanceOf(OpenAI.PermissionDeniedError);
});

it('shows that call on the usage page, by model, with a CSV download', async () => {
  await page.goto('/usage');
  // Usage is journalled and written in batches: the page is refreshed until the call is in.
  expect(await waitForUsageRequests(page, 1)).toBeGreaterThanOrEqual(1);
  await expect(page.getByTestId('usage-table').textContent()).resolves.toContain(ALLOWED_MODEL);
  await page.getByTestId('usage-chart').locator('svg').first().waitFor();

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('usage-csv').click()]);
  const csv = fs.readFileSync((await download.path())!, 'utf8');
  expect(csv.split('\r\n')[0]).toContain('request_id');
  expect(csv).toContain(ALLOWED_MODEL);
});

it('streams a reply in the playground, offering only the allowed models', async () => {
  ui.gateway.fake.setMode({ kind: 'normal', chunkDelayMs: 150 });
  await page.goto('/playground');
  await page.getByTestId('model-picker').click();
  const options = await page.getByRole('option').allTextContents();
  expect(options).toContain(ALLOWED_MODEL);
  expect(options).not.toContain(DENIED_MODEL);
  await page.getByRole('option', { name: ALLOWED_MODEL, exact: true }).click();

  await page.getByTestId('message-input').fill('stream this please');
  await page.getByTestId('send-button').click();
  const { samples, final, chunks } = await sampleStreamingAnswer(page);
  expect(final).toBe('Echo model-a: stream this please');
  expect(chunks).toBeGreaterThan(1);
  expect(samples.length).toBeGreaterThan(1);
  expect(final.startsWith(samples[0])).toBe(true);
  await expect(page.getByTestId('turn-usage').last().textContent()).resolves.toMatch(/tokens in, \d+ tokens out/);
});

it('stops a streaming reply with the Stop button', async () => {
  ui.gateway.fake.setMode({ kind: 'normal', chunkDelayMs: 1000 });
  await page.getByTestId('message-input').fill('a slow answer with many words to stream');
  await page.getByTestId('send-button').click();
  await page.getByTestId('assistant-message').last().getByTestId('assistant-text').waitFor();
  await page.getByTestId('stop-button').click();
  await expect(page.getByTestId('turn-usage').last().textContent()).resolves.toContain('Stopped');
  await ui.gateway.fake.waitForAborts(1, 10_000);
  await page.getByTestId('clear-button').click();
  await expect(page.getByTestId('assistant-message').count()).resolves.toBe(0);
});

it('rotates the key: the new secret is shown once and the old one stops at once', async () => {
  await page.goto('/keys');
  await page.getByTestId(`rotate-key-${keyId}`).click();
  await page.getByTestId('rotate-stop-old').check();
  await page.getByTestId('confirm-button').click();
  const shown = page.getByTestId('new-key-secret');
  await shown.waitFor();
  const rotated = ((await shown.textContent()) ?? '').trim();
  expect(rotated).not.toBe(secret);
  await expect(page.getByTestId('rotation-grace').textContent()).resolves.toContain('stopped working immediately');
  await page.getByTestId('secret-done').click();
  await page.getByTestId('secret-dialog').waitFor({ state: 'detached' });
  expect(await page.content()).not.toContain(secretPart(rotated));

  await expect(ui.client(secret).models.list()).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
  await expect(ui.client(rotated).chat.completions.create({ model: ALLOWED_MODEL, messages: [{ role: 'user', content: 'rotated' }] })).resolves.toBeTruthy();
  secret = rotated;
});

it('revokes the key after confirmation; the openai client then gets 401', async () => {
  await page.getByTestId(`revoke-key-${keyId}`).click();
  await expect(page.getByTestId('confirm-dialog').textContent()).resolves.toContain('stop working');
  await page.getByTestId('confirm-button').click();
  await page.getByTestId(`row-${keyId}`).waitFor({ state: 'detached' });
  await page.getByTestId('show-revoked').check();
  await expect(page.getByTestId(`key-status-${keyId}`).textContent()).resolves.toBe('revoked');

  const refused = await ui.client(secret).chat.completions.create({ model: ALLOWED_MODEL, messages: [{ role: 'user', content: 'hi' }] }).catch((err: unknown) => err);
  expect(refused).toBeInstanceOf(OpenAI.AuthenticationError);
  expect((refused as InstanceType<typeof OpenAI.AuthenticationError>).status).toBe(401);
});

it('works at phone width: keys and playground without sideways scrolling', async () => {
  const phone = await ui.newPage('member', MEMBER_DID, { viewport: PHONE });
  for (const path of ['/keys', '/usage', '/playground']) {
    await phone.goto(path);
    await phone.getByRole('heading', { level: 1 }).waitFor();
    await phone.waitForLoadState('networkidle');
    expect({ path, overflows: await overflowsSideways(phone) }).toEqual({ path, overflows: false });
  }
  await phone.getByTestId('message-input').fill('from a phone');
  await phone.getByTestId('send-button').click();
  await expect(sampleStreamingAnswer(phone).then((a) => a.final)).resolves.toBe('Echo model-a: from a phone');
});

it('says in words when rate limited, and when to try again', async () => {
  await setMemberRpm(ui, 1);
  try {
    await page.goto('/playground');
    const finished = page.locator('[data-testid="assistant-message"][data-streaming="false"]');
    // The member may have spent this minute's one request already; at most the second call is refused.
    for (let i = 0; i < 2 && (await page.getByTestId('chat-error').count()) === 0; i += 1) {
      await page.getByTestId('message-input').fill(`call ${i}`);
      await page.getByTestId('send-button').click();
      await finished.nth(i).waitFor();
    }
    const said = await page.getByTestId('chat-error').first().textContent();
    expect(said).toMatch(/rate limit/i);
    expect(said).toMatch(/try again in \d+/i);
  } finally {
    await setMemberRpm(ui, null);
  }
});

it('says in words when the model is no longer allowed', async () => {
  await page.goto('/playground');
  await page.getByTestId('message-input').waitFor();
  await disableRule(ui, setup.ruleId);
  await page.getByTestId('message-input').fill('still allowed?');
  await page.getByTestId('send-button').click();
  await expect(page.getByTestId('chat-error').textContent()).resolves.toMatch(/^Not allowed: .*model-a/);
});

it('never shows the provider credential anywhere the member went', async () => {
  await ui.secretScanner.expectClean([GOOD_KEYS.openai], [page]);
});
