import type { Page } from 'playwright-core';
import { openPerson, Person, screenshot } from './support/browser';
import { expectText, uniqueName } from './support/expect';
import { becomeContacts, contactItem, signUpInBrowser } from './support/people';
import { RunningServer, startServer } from './support/server';

async function openConversation(page: Page, username: string): Promise<void> {
  await contactItem(page, username).getByTestId('contact-link').click();
  await page.getByTestId('composer-input').waitFor();
}

async function send(page: Page, text: string): Promise<void> {
  await page.getByTestId('composer-input').fill(text);
  await page.getByTestId('composer-input').press('Enter');
}

const messageWithText = (page: Page, text: string) =>
  page.locator('[data-testid="message"]', {
    has: page.locator('[data-testid="message-text"]', { hasText: text }),
  });

/** Opens a message's menu with the mouse: hover shows the ⋯ button. */
async function openMenuByMouse(page: Page, text: string) {
  const message = messageWithText(page, text);
  await message.hover();
  await message.getByTestId('message-menu-trigger').click();
  const menu = message.getByTestId('message-menu');
  await menu.waitFor();
  return menu;
}

describe('message actions between two people', () => {
  let server: RunningServer;
  let alice: Person;
  let bob: Person;
  const aName = uniqueName('alice');
  const bName = uniqueName('bob');

  beforeAll(async () => {
    server = await startServer('msgactions');
    [alice, bob] = await Promise.all([openPerson(), openPerson()]);
    await signUpInBrowser(alice.page, server.url, aName);
    await signUpInBrowser(bob.page, server.url, bName);
    await becomeContacts(alice.page, bob.page, bName, aName);
    await openConversation(alice.page, bName);
    await openConversation(bob.page, aName);
  });
  afterAll(async () => {
    await Promise.all([alice?.close(), bob?.close()]);
    await server?.stop();
  });

  it('reply: quoted in the composer and the bubble, live on the other side; the quote jumps to the original', async () => {
    await send(alice.page, 'Lunch at noon?');
    await messageWithText(bob.page, 'Lunch at noon?').waitFor();
    const menu = await openMenuByMouse(bob.page, 'Lunch at noon?');
    await menu.getByTestId('menu-reply').click();
    await expectText(bob.page.getByTestId('composer-reply'), 'Lunch at noon?');
    await screenshot(bob.page, 'reply-composer');
    await send(bob.page, 'Sounds good');
    const reply = messageWithText(alice.page, 'Sounds good');
    await reply.waitFor();
    await expectText(reply.getByTestId('reply-quote'), 'Lunch at noon?');
    expect(await bob.page.getByTestId('composer-reply').count()).toBe(0);
    await reply.getByTestId('reply-quote').click();
    await alice.page.waitForFunction(
      () => document.activeElement?.textContent?.includes('Lunch at noon?') ?? false,
    );
  });

  it('react by keyboard: Enter on a focused message opens the menu; reactions show live with counts', async () => {
    const message = messageWithText(bob.page, 'Lunch at noon?');
    await message.focus();
    await bob.page.keyboard.press('Enter');
    const menu = message.getByTestId('message-menu');
    await menu.waitFor();
    // Focus lands on the first quick reaction; arrow keys move through the menu.
    await bob.page.keyboard.press('ArrowRight');
    await bob.page.keyboard.press('ArrowLeft');
    await bob.page.keyboard.press('Enter');
    await menu.waitFor({ state: 'detached' });
    const onAlice = messageWithText(alice.page, 'Lunch at noon?');
    const thumbs = onAlice.locator('[data-testid="reaction"][data-emoji="👍"]');
    await expectText(thumbs, '1');
    expect(await thumbs.getAttribute('data-mine')).toBe('false');
    // Alice adds the same one: 2, hers highlighted; toggling takes hers away again.
    await thumbs.click();
    await expectText(thumbs, '2');
    expect(await thumbs.getAttribute('aria-pressed')).toBe('true');
    await expectText(
      messageWithText(bob.page, 'Lunch at noon?').locator(
        '[data-testid="reaction"][data-emoji="👍"]',
      ),
      '2',
    );
    await screenshot(alice.page, 'reactions');
    await thumbs.click();
    await expectText(thumbs, '1');
    // The picker: one more emoji, replacing Alice's none.
    const aliceMenu = await openMenuByMouse(alice.page, 'Lunch at noon?');
    await aliceMenu.getByTestId('more-reactions').click();
    await alice.page.getByTestId('emoji-picker').waitFor();
    await screenshot(alice.page, 'emoji-picker');
    await alice.page.getByRole('button', { name: 'fire' }).click();
    await expectText(
      messageWithText(bob.page, 'Lunch at noon?').locator(
        '[data-testid="reaction"][data-emoji="🔥"]',
      ),
      '1',
    );
  });

  it('edit: Up arrow in an empty composer edits your last message; the other side sees it edited', async () => {
    await send(alice.page, 'See you at the cafe');
    await messageWithText(bob.page, 'See you at the cafe').waitFor();
    await alice.page.getByTestId('composer-input').focus();
    await alice.page.keyboard.press('ArrowUp');
    await expectText(alice.page.getByTestId('composer-edit'), 'See you at the cafe');
    expect(await alice.page.getByTestId('composer-input').inputValue()).toBe('See you at the cafe');
    await alice.page.getByTestId('composer-input').fill('See you at the café on Main St');
    await alice.page.getByTestId('composer-input').press('Enter');
    const onBob = messageWithText(bob.page, 'See you at the café on Main St');
    await onBob.waitFor();
    await onBob.getByTestId('message-edited').waitFor();
    expect(await messageWithText(bob.page, 'See you at the cafe').count()).toBe(0);
    await screenshot(bob.page, 'message-edited');
  });

  it('delete for everyone (confirmed) leaves "This message was deleted" on both sides', async () => {
    await send(alice.page, 'Oops, wrong chat');
    await messageWithText(bob.page, 'Oops, wrong chat').waitFor();
    const menu = await openMenuByMouse(alice.page, 'Oops, wrong chat');
    await menu.getByTestId('menu-delete-everyone').click();
    await alice.page.getByTestId('confirm-dialog').waitFor();
    await screenshot(alice.page, 'delete-for-everyone-confirm');
    await alice.page.getByTestId('confirm-dialog-confirm').click();
    // (The live region may still announce the message as it arrived; the list must not show it.)
    await bob.page.waitForFunction(
      () =>
        !document
          .querySelector('[data-testid="message-list"]')
          ?.textContent?.includes('Oops, wrong chat'),
    );
    expect(await bob.page.getByTestId('message-deleted').count()).toBeGreaterThanOrEqual(1);
    expect(await alice.page.getByTestId('message-deleted').count()).toBeGreaterThanOrEqual(1);
    await screenshot(bob.page, 'message-deleted');
  });

  it('delete for me hides it only on my side', async () => {
    await send(bob.page, 'Only for my eyes to remove');
    await messageWithText(alice.page, 'Only for my eyes to remove').waitFor();
    const menu = await openMenuByMouse(alice.page, 'Only for my eyes to remove');
    await menu.getByTestId('menu-delete-me').click();
    await messageWithText(alice.page, 'Only for my eyes to remove').waitFor({ state: 'detached' });
    // Still there for Bob, and still gone for Alice after a reload.
    expect(await messageWithText(bob.page, 'Only for my eyes to remove').count()).toBe(1);
    await alice.page.reload();
    await alice.page.getByTestId('composer-input').waitFor();
    await messageWithText(alice.page, 'See you at the café on Main St').waitFor();
    expect(await messageWithText(alice.page, 'Only for my eyes to remove').count()).toBe(0);
  });

  it('works at phone width: long-press is not needed, the menu opens from the keyboard too', async () => {
    const phone = await openPerson({ viewport: { width: 390, height: 760 } });
    try {
      await phone.page.goto(`${server.url}/login`);
      await phone.page.getByTestId('username-input').fill(bName);
      await phone.page.getByTestId('password-input').fill('browser password 1');
      await phone.page.getByTestId('login-submit').click();
      await phone.page.waitForURL(/\/chat/);
      await openConversation(phone.page, aName);
      const message = messageWithText(phone.page, 'See you at the café on Main St');
      await message.focus();
      await phone.page.keyboard.press('Enter');
      await message.getByTestId('message-menu').waitFor();
      await screenshot(phone.page, 'message-menu-phone');
      await phone.page.keyboard.press('Escape');
      await message.getByTestId('message-menu').waitFor({ state: 'detached' });
    } finally {
      await phone.close();
    }
  });
});
