// Over 300 lines: one browser session per suite is costly, so the conversation's UX checks
// (order, scrolling, drafts, images, receipts) share one setup here.
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { openPerson, Person, screenshot } from './support/browser';
import { apiLogin, seedMessages } from './support/api';
import { expectText, uniqueName } from './support/expect';
import {
  notifications,
  setHidden,
  shootBothThemes,
  stubNotificationsAndVisibility,
} from './support/page-stubs';
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

const pause = (page: Page, ms: number) => page.waitForTimeout(ms);

describe('a conversation like a modern messenger', () => {
  let server: RunningServer;
  let alice: Person;
  let bob: Person;
  const aName = uniqueName('alice');
  const bName = uniqueName('bob');
  let aliceId = '';
  let bobId = '';

  beforeAll(async () => {
    server = await startServer('conversationux');
    [alice, bob] = await Promise.all([openPerson(), openPerson()]);
    await stubNotificationsAndVisibility(bob.context);
    await signUpInBrowser(alice.page, server.url, aName);
    await signUpInBrowser(bob.page, server.url, bName);
    await becomeContacts(alice.page, bob.page, bName, aName);
    bobId = (await contactItem(alice.page, bName).getAttribute('data-contact-id'))!;
    aliceId = (await contactItem(bob.page, aName).getAttribute('data-contact-id'))!;
    await openConversation(alice.page, bName);
  });
  afterAll(async () => {
    await Promise.all([alice?.close(), bob?.close()]);
    await server?.stop();
  });

  it('notifies while the page is hidden, not while visible, not for my own messages, not when muted', async () => {
    const page = bob.page;
    // Nothing is asked on load; only the bell asks.
    expect(await page.evaluate(() => Notification.permission)).toBe('default');
    await page.getByTestId('notifications-menu').click();
    await shootBothThemes(page, 'notifications-menu', screenshot);
    await page.getByTestId('notifications-enable').click();
    await page.locator('[data-testid="notifications"][data-state="on"]').waitFor();

    await setHidden(page, true);
    await send(alice.page, 'ping while hidden');
    await page.waitForFunction(
      () => (window as unknown as { __notifications: unknown[] }).__notifications.length === 1,
    );
    expect((await notifications(page))[0]).toMatchObject({
      title: aName,
      body: 'ping while hidden',
    });
    // The unread count reaches the title and the favicon.
    expect(await page.title()).toBe('(1) Natter');
    expect(await page.locator('link[rel="icon"]').getAttribute('data-unread')).toBe('1');

    // A click focuses the window and opens that conversation.
    await page.evaluate(() =>
      (
        window as unknown as { __lastNotification: { onclick(): void } }
      ).__lastNotification.onclick(),
    );
    await page.waitForURL((url) => url.pathname === `/chat/${aliceId}`);
    await messageWithText(page, 'ping while hidden').waitFor();

    // Visible and focused: no notification (the message is on screen).
    await setHidden(page, false);
    await send(alice.page, 'ping while visible');
    await messageWithText(page, 'ping while visible').waitFor();
    await pause(page, 700);
    expect(await notifications(page)).toHaveLength(1);

    // My own message from another tab does not notify this hidden one.
    const secondTab = await bob.context.newPage();
    await secondTab.goto(`${server.url}/chat/${aliceId}`);
    await secondTab.getByTestId('composer-input').waitFor();
    await setHidden(page, true);
    await send(secondTab, 'from my other tab');
    await messageWithText(page, 'from my other tab').waitFor();
    await pause(page, 700);
    expect(await notifications(page)).toHaveLength(1);

    // Mute in this tab: the second tab learns it live.
    await setHidden(page, false);
    await contactItem(page, aName).getByTestId('contact-menu').click();
    await page.getByTestId('mute-contact').click();
    await contactItem(page, aName).getByTestId('muted-indicator').waitFor();
    await contactItem(secondTab, aName).getByTestId('muted-indicator').waitFor();
    await shootBothThemes(page, 'contact-muted', screenshot);

    // Muted: no notification, but the badge still counts.
    await setHidden(page, true);
    await setHidden(secondTab, true);
    await send(alice.page, 'ping while muted');
    await expectText(contactItem(page, aName).getByTestId('unread-badge'), '1');
    await pause(page, 700);
    expect(await notifications(page)).toHaveLength(1);
    expect(await notifications(secondTab)).toHaveLength(0);

    // Unmute from the second tab; the first follows.
    await setHidden(secondTab, false);
    await contactItem(secondTab, aName).getByTestId('contact-menu').click();
    await secondTab.getByTestId('mute-contact').click();
    await contactItem(page, aName).getByTestId('muted-indicator').waitFor({ state: 'detached' });
    await secondTab.close();
    await setHidden(page, false);
  });

  it('opens http(s) links in a new tab with a safe rel; javascript: and look-alikes stay text', async () => {
    await alice.context.route('https://example.com/**', (route) =>
      route.fulfill({ status: 200, contentType: 'text/html', body: '<title>elsewhere</title>ok' }),
    );
    await bob.context.route('https://example.com/**', (route) =>
      route.fulfill({ status: 200, contentType: 'text/html', body: '<title>elsewhere</title>ok' }),
    );
    const text =
      'docs at https://example.com/guide?x=1 not javascript:alert(1) nor https://bank.example@evil.example/';
    await send(alice.page, text);
    const received = messageWithText(bob.page, 'docs at');
    await received.waitFor();
    const links = received.getByTestId('message-link');
    expect(await links.count()).toBe(1);
    expect(await links.first().getAttribute('href')).toBe('https://example.com/guide?x=1');
    expect(await links.first().getAttribute('target')).toBe('_blank');
    expect(await links.first().getAttribute('rel')).toBe('noopener noreferrer');
    expect(await received.getByTestId('message-text').textContent()).toBe(text);

    const [opened] = await Promise.all([bob.context.waitForEvent('page'), links.first().click()]);
    await opened.waitForLoadState('domcontentloaded');
    expect(opened.url()).toBe('https://example.com/guide?x=1');
    // The new tab cannot reach back into Natter and was not told where it came from.
    expect(await opened.evaluate(() => window.opener)).toBeNull();
    expect(await opened.evaluate(() => document.referrer)).toBe('');
    await opened.close();
    await shootBothThemes(bob.page, 'conversation-links', screenshot);
  });

  it('sends a picture with its caption as one message, and refuses a fake .png before sending', async () => {
    const countBefore = await bob.page.getByTestId('message').count();
    const png = await sharp({
      create: { width: 480, height: 320, channels: 3, background: { r: 30, g: 140, b: 200 } },
    })
      .png()
      .toBuffer();
    await alice.page
      .getByTestId('attach-input')
      .setInputFiles({ name: 'lake.png', mimeType: 'image/png', buffer: png });
    await alice.page.getByTestId('attachment-preview').waitFor();
    await alice.page.getByTestId('caption-input').fill('The lake at noon');
    await shootBothThemes(alice.page, 'caption-composer', screenshot);
    await alice.page.getByTestId('caption-input').press('Enter');

    const withCaption = bob.page.locator('[data-testid="message"]', {
      has: bob.page.getByTestId('message-caption'),
    });
    await withCaption.waitFor({ timeout: 20_000 });
    await expectText(withCaption.getByTestId('message-caption'), 'The lake at noon');
    await withCaption.getByTestId('message-thumbnail').waitFor();
    // One message, one bubble: the picture and its caption together.
    expect(await bob.page.getByTestId('message').count()).toBe(countBefore + 1);
    expect(await withCaption.locator('.bubble').count()).toBe(1);
    await shootBothThemes(bob.page, 'caption-received', screenshot);

    // The full-size viewer zooms and offers a download.
    await withCaption.getByTestId('message-image').click();
    await bob.page.getByTestId('lightbox-image').waitFor();
    await bob.page.getByTestId('lightbox-zoom-in').click();
    await bob.page.getByTestId('lightbox-zoom-in').click();
    expect(await bob.page.getByTestId('lightbox-image').getAttribute('data-zoom')).toBe('1.5');
    expect(await bob.page.getByTestId('lightbox-download').getAttribute('href')).toMatch(/^blob:/);
    await expectText(bob.page.getByTestId('lightbox-caption'), 'The lake at noon');
    await shootBothThemes(bob.page, 'lightbox-zoom', screenshot);
    await bob.page.keyboard.press('Escape');

    // A text file named .png (even claiming image/png) never gets to the upload.
    const uploads: string[] = [];
    alice.page.on('request', (r) => {
      if (r.url().endsWith('/api/messages/image')) uploads.push(r.url());
    });
    await alice.page.getByTestId('attach-input').setInputFiles({
      name: 'holiday.png',
      mimeType: 'image/png',
      buffer: Buffer.from('this is not a picture, just text\n'),
    });
    await expectText(alice.page.getByTestId('composer-error'), 'not a real PNG, JPEG, GIF or WebP');
    expect(await alice.page.getByTestId('attachment-preview').count()).toBe(0);
    await shootBothThemes(alice.page, 'fake-image-refused', screenshot);
    expect(uploads).toHaveLength(0);
  });

  it('shows the unread divider, counts new messages below, and keeps the badge right while scrolled up', async () => {
    const page = bob.page;
    // Bob looks elsewhere while Alice writes a lot.
    await page.goto(`${server.url}/chat`);
    await page.getByTestId('no-conversation').waitFor();
    const token = await apiLogin(server.url, aName);
    await seedMessages(server.url, token, bobId, 30, 'backlog');
    await expectText(contactItem(page, aName).getByTestId('unread-badge'), '30');

    await openConversation(page, aName);
    const divider = page.getByTestId('unread-divider');
    await divider.waitFor();
    // The divider sits right before the first unread message.
    const firstAfter = await divider.evaluate(
      (el) => el.nextElementSibling?.querySelector('[data-testid="message-text"]')?.textContent,
    );
    expect(firstAfter).toBe('backlog 1');
    // More unread than fit: it opens at the divider and marks nothing read yet.
    await expectText(page.getByTestId('jump-latest-count'), '30');
    await pause(page, 700);
    await expectText(contactItem(page, aName).getByTestId('unread-badge'), '30');

    // New messages while scrolled up add to the count and the badge.
    await send(alice.page, 'one more');
    await send(alice.page, 'and another');
    await expectText(page.getByTestId('jump-latest-count'), '32');
    await expectText(contactItem(page, aName).getByTestId('unread-badge'), '32');
    await shootBothThemes(page, 'unread-divider', screenshot);

    // Jumping shows them: now they are read.
    await page.getByTestId('jump-latest').click();
    await contactItem(page, aName).getByTestId('unread-badge').waitFor({ state: 'detached' });
    expect(await page.getByTestId('jump-latest').count()).toBe(0);
    // Consecutive messages from Alice within five minutes form one group.
    const starts = await page.$$eval('[data-testid="message"]', (nodes) =>
      nodes.slice(-5).map((n) => (n as HTMLElement).dataset.groupStart),
    );
    expect(starts).toEqual(['false', 'false', 'false', 'false', 'false']);
    expect(await page.getByTestId('day-separator').first().textContent()).toBe('Today');
  });

  it('shows presence as unknown while offline and catches up as soon as it is back online', async () => {
    const page = bob.page;
    await expectText(page.getByTestId('conversation-presence'), 'online');
    await bob.context.setOffline(true);
    await expectText(contactItem(page, aName).getByTestId('contact-presence'), 'status unknown');
    await expectText(page.getByTestId('conversation-presence'), 'status unknown');
    expect(await contactItem(page, aName).locator('[data-testid="presence-dot"]').count()).toBe(0);
    await shootBothThemes(page, 'offline-presence-unknown', screenshot);

    await send(alice.page, 'written while bob was offline');
    await messageWithText(alice.page, 'written while bob was offline').waitFor();
    await pause(page, 1500);
    expect(await messageWithText(page, 'written while bob was offline').count()).toBe(0);

    await bob.context.setOffline(false);
    await messageWithText(page, 'written while bob was offline').waitFor({ timeout: 10_000 });
    await expectText(contactItem(page, aName).getByTestId('contact-presence'), 'online');
    expect(await messageWithText(page, 'written while bob was offline').count()).toBe(1);
  });

  it('at 1280 px names fit (with a tooltip); other tabs follow the theme live and sign out quietly', async () => {
    const page = bob.page;
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${server.url}/chat`);
    const name = contactItem(page, aName).getByTestId('contact-name');
    await name.waitFor();
    expect(aName.length).toBeGreaterThanOrEqual(12);
    for (const locator of [name, page.getByTestId('current-username')]) {
      const fits = await locator.evaluate((el) => el.scrollWidth <= el.clientWidth);
      expect(fits).toBe(true);
      expect(await locator.getAttribute('title')).toBeTruthy();
    }

    const other = await bob.context.newPage();
    await other.goto(`${server.url}/chat`);
    await other.getByTestId('contacts-list').waitFor();
    const themeOf = (p: Page) => p.evaluate(() => document.documentElement.dataset.theme);
    const before = await themeOf(other);
    await page.getByTestId('theme-toggle').click();
    const after = await themeOf(page);
    expect(after).not.toBe(before);
    await other.waitForFunction((t) => document.documentElement.dataset.theme === t, after);

    // Signing out here ends the other tab's session too, without a "from another device" notice.
    await page.getByTestId('logout-button').click();
    await page.waitForURL(/\/login/);
    await other.waitForURL(/\/login/, { timeout: 15_000 });
    await other.getByTestId('login-submit').waitFor();
    await pause(other, 1000);
    expect(await other.getByTestId('session-notice').count()).toBe(0);
    // A signed-out visit does not ask /api/refresh (nothing to refresh).
    const refreshes: string[] = [];
    other.on('request', (r) => {
      if (r.url().endsWith('/api/refresh')) refreshes.push(r.url());
    });
    await other.reload();
    await other.getByTestId('login-submit').waitFor();
    await pause(other, 500);
    expect(refreshes).toHaveLength(0);
    await other.close();
  });
});
