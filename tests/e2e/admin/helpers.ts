// Small helpers of the admin browser tests: the mask the API applies (to check what the page shows),
// replacing the CodeMirror document, and page-level side-scroll detection.
import type { Locator, Page } from 'playwright-core';

/** What api/vault/mask.ts makes of a secret of 12 characters or more: first four, asterisks, last four. */
export function expectedMask(secret: string): string {
  return `${secret.slice(0, 4)}${'*'.repeat(secret.length - 8)}${secret.slice(-4)}`;
}

/**
 * Replaces the editor's text as a paste would: insertText skips CodeMirror's auto-indent, which typing
 * key by key would apply to every YAML line.
 */
export async function replaceEditorText(page: Page, editor: Locator, text: string): Promise<void> {
  await editor.locator('.cm-content').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
}

/** Tables may scroll inside their own box; the page itself must not scroll sideways. */
export async function pageScrollsSideways(page: Page): Promise<boolean> {
  return page.evaluate<boolean>('document.documentElement.scrollWidth > window.innerWidth + 1');
}

/** The visible text of the whole page (not the HTML: attributes and scripts are checked separately). */
export async function visibleText(page: Page): Promise<string> {
  return page.locator('body').innerText();
}

/**
 * Usage reaches the database through a batch writer, a moment after the call: refresh the page's
 * figures until the requests total reaches `min` (or the time is up), and return what it shows.
 */
export async function waitForTotalRequests(page: Page, refreshTestId: string, min: number, timeoutMs = 20_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = await page.getByTestId('total-requests').textContent({ timeout: 500 }).catch(() => null);
    const seen = text ? Number(text.replace(/\D/g, '')) : 0;
    if (seen >= min || Date.now() > deadline) return seen;
    await page.getByTestId(refreshTestId).click();
    await page.waitForTimeout(300);
  }
}
