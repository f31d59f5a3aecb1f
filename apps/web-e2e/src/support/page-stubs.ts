import type { BrowserContext, Page } from 'playwright-core';

export interface RecordedNotification {
  title: string;
  body?: string;
  tag?: string;
}

/**
 * Runs in every page of the context before the app: a Notification stand-in that records what
 * would have been shown (headless Chromium shows none), and a switch that makes the page
 * hidden and unfocused as a background tab is.
 */
function installStubs(): void {
  const w = window as unknown as {
    __notifications: { title: string; body?: string; tag?: string }[];
    __lastNotification: { onclick: (() => void) | null } | null;
    __setHidden: (hidden: boolean) => void;
    Notification: unknown;
  };
  w.__notifications = [];
  w.__lastNotification = null;
  class RecordingNotification {
    static permission: NotificationPermission = 'default';
    static async requestPermission(): Promise<NotificationPermission> {
      RecordingNotification.permission = 'granted';
      return 'granted';
    }
    onclick: (() => void) | null = null;
    constructor(title: string, options: { body?: string; tag?: string } = {}) {
      w.__notifications.push({ title, body: options.body, tag: options.tag });
      w.__lastNotification = this;
    }
    close(): void {}
  }
  w.Notification = RecordingNotification;

  let hidden = false;
  Object.defineProperty(Document.prototype, 'visibilityState', {
    configurable: true,
    get: () => (hidden ? 'hidden' : 'visible'),
  });
  Object.defineProperty(Document.prototype, 'hidden', { configurable: true, get: () => hidden });
  Document.prototype.hasFocus = () => !hidden;
  w.__setHidden = (next: boolean) => {
    hidden = next;
    document.dispatchEvent(new Event('visibilitychange'));
    window.dispatchEvent(new Event(next ? 'blur' : 'focus'));
  };
}

export async function stubNotificationsAndVisibility(context: BrowserContext): Promise<void> {
  await context.addInitScript(installStubs);
}

export async function setHidden(page: Page, hidden: boolean): Promise<void> {
  await page.evaluate(
    (h) => (window as unknown as { __setHidden(h: boolean): void }).__setHidden(h),
    hidden,
  );
}

export async function notifications(page: Page): Promise<RecordedNotification[]> {
  return page.evaluate(
    () => (window as unknown as { __notifications: RecordedNotification[] }).__notifications,
  );
}

/** Screenshots in the light theme and, by switching the page's theme for a moment, the dark one. */
export async function shootBothThemes(
  page: Page,
  name: string,
  shot: (page: Page, name: string) => Promise<void>,
): Promise<void> {
  const previous = await page.evaluate(() => document.documentElement.dataset.theme ?? 'light');
  for (const theme of ['light', 'dark'] as const) {
    await page.evaluate((t) => {
      document.documentElement.dataset.theme = t;
      document.documentElement.style.colorScheme = t;
    }, theme);
    await shot(page, `${name}-${theme}`);
  }
  await page.evaluate((t) => {
    document.documentElement.dataset.theme = t;
    document.documentElement.style.colorScheme = t;
  }, previous);
}
