// Browser steps the member tests repeat: counting a string in the page, sampling a streaming answer
// as it grows, and checking for sideways overflow. Page scripts are strings: tests compile without DOM types.
import type { Page } from 'playwright-core';

export function countOccurrences(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

/**
 * Samples the last assistant message while it streams: its text each time it changes, until the
 * stream is done. More than one distinct sample means the text arrived in pieces, not in one block.
 */
export async function sampleStreamingAnswer(page: Page, timeoutMs = 30_000): Promise<{ samples: string[]; final: string; chunks: number }> {
  const samples: string[] = [];
  const deadline = Date.now() + timeoutMs;
  const answer = page.getByTestId('assistant-message').last();
  await answer.waitFor();
  for (;;) {
    const text = (await answer.getByTestId('assistant-text').textContent({ timeout: 100 }).catch(() => null)) ?? '';
    if (text && samples[samples.length - 1] !== text) samples.push(text);
    if ((await answer.getAttribute('data-streaming')) === 'false') break;
    if (Date.now() > deadline) throw new Error(`the answer was still streaming after ${timeoutMs} ms; seen: ${JSON.stringify(samples)}`);
    await page.waitForTimeout(25);
  }
  const final = (await answer.getByTestId('assistant-text').textContent()) ?? '';
  const chunks = Number(await answer.getAttribute('data-chunks'));
  return { samples, final, chunks };
}

/** True when the page is wider than the viewport (something forces sideways scrolling). */
export async function overflowsSideways(page: Page): Promise<boolean> {
  return page.evaluate<boolean>('document.documentElement.scrollWidth > window.innerWidth + 1');
}

/** Clicks "Refresh" on the usage page until its request total reaches `min`; returns the total seen. */
export async function waitForUsageRequests(page: Page, min: number, timeoutMs = 15_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  const total = page.getByTestId('usage-total-requests');
  for (;;) {
    const text = await total.textContent({ timeout: 500 }).catch(() => null);
    const seen = text ? Number(text.replace(/\D/g, '')) : 0;
    if (seen >= min || Date.now() > deadline) return seen;
    await page.getByTestId('usage-refresh').click();
    await page.waitForTimeout(300);
  }
}
