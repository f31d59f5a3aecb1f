import type { Page } from 'playwright-core';
import { openPerson, Person, screenshot } from './support/browser';
import { apiLogin, seedMessages } from './support/api';
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

describe('two people talking', () => {
  let server: RunningServer;
  let alice: Person;
  let bob: Person;
  let carol: Person;
  const aName = uniqueName('alice');
  const bName = uniqueName('bob');
  const cName = uniqueName('carol');

  beforeAll(async () => {
    server = await startServer('messaging');
    [alice, bob, carol] = await Promise.all([openPerson(), openPerson(), openPerson()]);
    await signUpInBrowser(alice.page, server.url, aName);
    await signUpInBrowser(bob.page, server.url, bName);
    await signUpInBrowser(carol.page, server.url, cName);
    await becomeContacts(alice.page, bob.page, bName, aName);
    await becomeContacts(carol.page, alice.page, aName, cName);
  });
  afterAll(async () => {
    await Promise.all([alice?.close(), bob?.close(), carol?.close()]);
    await server?.stop();
  });

  it('text both ways with unread badges, read receipts and typing', async () => {
    await openConversation(alice.page, bName);
    await send(alice.page, 'Hello Bob');
    const sent = messageWithText(alice.page, 'Hello Bob');
    await sent.waitFor();
    await expectText(sent.getByTestId('message-status'), /Sent|Read/);

    // Bob is elsewhere: the badge counts it.
    await expectText(contactItem(bob.page, aName).getByTestId('unread-badge'), '1');
    await openConversation(bob.page, aName);
    await messageWithText(bob.page, 'Hello Bob').waitFor();
    // Alice sees the read receipt once Bob has it on screen.
    await expectText(sent.getByTestId('message-status'), 'Read');

    // Typing indicator.
    await bob.page.getByTestId('composer-input').pressSequentially('Hi Al', { delay: 30 });
    await alice.page.getByTestId('typing-indicator').waitFor();
    await screenshot(alice.page, 'typing');
    await bob.page.getByTestId('composer-input').pressSequentially('ice', { delay: 30 });
    await bob.page.getByTestId('composer-input').press('Enter');
    await messageWithText(alice.page, 'Hi Alice').waitFor();

    // Shift+Enter makes a new line instead of sending.
    await bob.page.getByTestId('composer-input').press('Shift+Enter');
    expect(await bob.page.getByTestId('composer-input').inputValue()).toBe('\n');
    await bob.page.getByTestId('composer-input').fill('');

    // A message for another conversation updates that badge instead of being dropped.
    await openConversation(carol.page, aName);
    await send(carol.page, 'Carol here');
    await expectText(contactItem(alice.page, cName).getByTestId('unread-badge'), '1');
    expect(await messageWithText(alice.page, 'Carol here').count()).toBe(0);
    await screenshot(alice.page, 'conversation');
  });

  it('renders an XSS payload as text and runs nothing', async () => {
    const payload = `<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>`;
    await send(bob.page, payload);
    const received = messageWithText(alice.page, '<script>');
    await received.waitFor();
    expect(await received.getByTestId('message-text').textContent()).toBe(payload);
    expect(
      await alice.page.evaluate(() => (window as unknown as { __xss?: number }).__xss),
    ).toBeUndefined();
    expect(await alice.page.locator('[data-testid="message-list"] img[src="x"]').count()).toBe(0);
  });

  it('scrolls back through 200 messages keeping the position', async () => {
    const bobId = (await contactItem(alice.page, bName).getAttribute('data-contact-id'))!;
    const aliceToken = await apiLogin(server.url, aName);
    await seedMessages(server.url, aliceToken, bobId, 200, 'history');
    const aliceId = (await contactItem(bob.page, aName).getAttribute('data-contact-id'))!;
    await bob.page.goto(`${server.url}/chat/${aliceId}`);
    await bob.page.getByTestId('composer-input').waitFor();
    await messageWithText(bob.page, 'history 200').waitFor();
    const scroller = bob.page.getByTestId('message-scroll');
    // Each time the reader reaches the top, an older page is prepended; the message that was at
    // the top must stay where it was on screen (without anchoring it would jump by a page).
    const shifts: number[] = [];
    for (
      let i = 0;
      i < 40 && (await bob.page.locator('[data-testid="load-older"]').count()) > 0;
      i++
    ) {
      const before = await scroller.evaluate((el) => {
        el.scrollTop = 0;
        const first = el.querySelector<HTMLElement>('[data-testid="message"]')!;
        return {
          key: first.dataset.key!,
          top: first.getBoundingClientRect().top,
          count: el.querySelectorAll('[data-testid="message"]').length,
        };
      });
      await bob.page.waitForFunction(
        (n) => document.querySelectorAll('[data-testid="message"]').length > n,
        before.count,
        { timeout: 10_000 },
      );
      // Let the layout settle after the prepend before measuring.
      await bob.page.evaluate(
        () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))),
      );
      const top = await bob.page.evaluate(
        (key) => document.querySelector(`[data-key="${key}"]`)!.getBoundingClientRect().top,
        before.key,
      );
      shifts.push(Math.abs(top - before.top));
    }
    expect(shifts.length).toBeGreaterThanOrEqual(3);
    expect(Math.max(...shifts)).toBeLessThan(100);
    const seqs = await bob.page.$$eval('[data-testid="message"]', (nodes) =>
      nodes.map((n) => Number((n as HTMLElement).dataset.seq)),
    );
    // The whole conversation, from the first message, in order, without gaps or duplicates.
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
    expect(seqs.length).toBeGreaterThanOrEqual(200);
    await screenshot(bob.page, 'history-top');
  });

  it('sends while the server is unreachable and delivers once after reconnect', async () => {
    await server.stop();
    await alice.page.getByTestId('reconnecting-banner').waitFor({ timeout: 15_000 });
    await screenshot(alice.page, 'reconnecting');
    await send(alice.page, 'sent during the outage');
    await messageWithText(alice.page, 'sent during the outage').waitFor();
    await server.start();
    await alice.page
      .getByTestId('reconnecting-banner')
      .waitFor({ state: 'detached', timeout: 30_000 });
    const mine = messageWithText(alice.page, 'sent during the outage');
    await expectText(mine.getByTestId('message-status'), /Sent|Read/);
    const theirs = messageWithText(bob.page, 'sent during the outage');
    await theirs.waitFor({ timeout: 30_000 });
    await bob.page.waitForTimeout(1000);
    expect(await theirs.count()).toBe(1);
    expect(await mine.count()).toBe(1);
  });
});
