import type { Page } from 'playwright-core';
import { expectText } from './expect';

/** Signs up through the real signup page and waits for the chat screen. */
export async function signUpInBrowser(
  page: Page,
  baseUrl: string,
  username: string,
  password = 'browser password 1',
): Promise<void> {
  await page.goto(`${baseUrl}/signup`);
  await page.getByTestId('username-input').fill(username);
  await page.getByTestId('password-input').fill(password);
  await page.getByTestId('signup-submit').click();
  await page.waitForURL(/\/chat/);
  await expectText(page.getByTestId('current-username').first(), username);
}

/** A searches for B by name and sends a request; B accepts it live (no reload). */
export async function becomeContacts(
  a: Page,
  b: Page,
  bName: string,
  aName: string,
): Promise<void> {
  await a.getByTestId('user-search-input').fill(bName.slice(0, 6));
  const result = a.locator(`[data-testid="search-result"][data-username="${bName}"]`);
  await result.waitFor();
  await result.getByTestId('search-add').click();
  await a.locator(`[data-testid="sent-request"][data-username="${bName}"]`).waitFor();
  const incoming = b.locator(`[data-testid="incoming-request"][data-username="${aName}"]`);
  await incoming.waitFor();
  await incoming.getByTestId('accept-request').click();
  await a.locator(`[data-testid="contact-item"][data-username="${bName}"]`).waitFor();
  await b.locator(`[data-testid="contact-item"][data-username="${aName}"]`).waitFor();
}

export const contactItem = (page: Page, username: string) =>
  page.locator(`[data-testid="contact-item"][data-username="${username}"]`);
