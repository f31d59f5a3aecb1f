import type { Locator } from 'playwright-core';

export const uniqueName = (prefix: string) =>
  `${prefix}${Math.random().toString(36).slice(2, 10)}`.slice(0, 20);

/** Waits (up to 10 s) until the locator's text contains / matches what is expected. */
export async function expectText(locator: Locator, expected: string | RegExp): Promise<void> {
  await locator.waitFor();
  const deadline = Date.now() + 10_000;
  let text = '';
  while (Date.now() < deadline) {
    text = (await locator.textContent()) ?? '';
    if (typeof expected === 'string' ? text.includes(expected) : expected.test(text)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`expected ${String(expected)} in "${text}"`);
}
