import { generate } from 'otplib';
import type { Page } from 'playwright-core';
import { openPerson, Person, screenshot } from './support/browser';
import { expectText, uniqueName } from './support/expect';
import { signUpInBrowser } from './support/people';
import { RunningServer, startServer } from './support/server';

const PERIOD = 30;

/**
 * A code for a 30-second step the API accepts now (current ±1) and that this test has not
 * used yet: the API refuses a step it already accepted. Waits out the end of a step.
 */
async function freshCode(secret: string, used: Set<number>): Promise<string> {
  if ((Date.now() / 1000) % PERIOD > PERIOD - 3) await new Promise((r) => setTimeout(r, 3500));
  const now = Math.floor(Date.now() / 1000 / PERIOD);
  const step = [now + 1, now, now - 1].find((candidate) => !used.has(candidate));
  if (step === undefined) throw new Error('no unused step in the window');
  used.add(step);
  return generate({ secret, epoch: step * PERIOD, algorithm: 'sha1', digits: 6, period: PERIOD });
}

async function shoot(page: Page, name: string): Promise<void> {
  await page.emulateMedia({ colorScheme: 'light' });
  await screenshot(page, name);
  await page.emulateMedia({ colorScheme: 'dark' });
  await screenshot(page, `${name}-dark`);
  await page.emulateMedia({ colorScheme: 'light' });
}

async function signIn(page: Page, url: string, username: string, password: string) {
  await page.goto(`${url}/login`);
  await page.getByTestId('username-input').fill(username);
  await page.getByTestId('password-input').fill(password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('two-factor-form').waitFor();
}

describe('two-factor sign-in in the browser', () => {
  let server: RunningServer;
  let person: Person;

  beforeAll(async () => {
    server = await startServer('twofactor');
    person = await openPerson();
  });
  afterAll(async () => {
    await person?.close();
    await server?.stop();
  });

  it('turns on with a code computed from the page, signs in with a code and a recovery code, turns off', async () => {
    const { page } = person;
    const username = uniqueName('tess');
    const password = 'browser password 1';
    const used = new Set<number>();
    await signUpInBrowser(page, server.url, username, password);

    await page.getByTestId('settings-link').click();
    await page.waitForURL(/\/settings/);
    const section = page.getByTestId('two-factor-section');
    await expectText(section.getByTestId('two-factor-state'), /^Off/);
    await section.getByTestId('two-factor-setup-button').click();
    await section.getByTestId('two-factor-qr').waitFor();
    // Scanning nothing: the key shown as text is what the QR code carries.
    const secret = ((await section.getByTestId('two-factor-secret').textContent()) ?? '').replace(
      /\s/g,
      '',
    );
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    await section.scrollIntoViewIfNeeded();
    await shoot(page, 'two-factor-setup');

    await section.getByTestId('two-factor-enable-code').fill(await freshCode(secret, used));
    await section.getByTestId('two-factor-enable-submit').click();
    await section.getByTestId('recovery-codes').waitFor();
    const recoveryCodes = await section.getByTestId('recovery-code').allTextContents();
    expect(recoveryCodes).toHaveLength(10);
    await expectText(section.getByTestId('two-factor-state'), /^On/);
    await shoot(page, 'two-factor-recovery-codes');
    await section.getByTestId('recovery-done').click();
    await section.getByTestId('two-factor-disable-form').waitFor();

    // Sign out; the password alone no longer signs in.
    await page.getByTestId('logout-button').click();
    await page.waitForURL(/\/login/);
    await signIn(page, server.url, username, password);
    await shoot(page, 'login-two-factor');
    await page.getByTestId('login-code-input').fill(await freshCode(secret, used));
    await page.getByTestId('two-factor-submit').click();
    // Signed in, back where the sign-out happened (settings).
    await expectText(page.getByTestId('current-username').first(), username);

    // Again, with a recovery code.
    await page.getByTestId('logout-button').click();
    await page.waitForURL(/\/login/);
    await signIn(page, server.url, username, password);
    await page.getByTestId('login-code-switch').click();
    await page.getByTestId('login-code-input').fill(recoveryCodes[0]);
    await page.getByTestId('two-factor-submit').click();
    await expectText(page.getByTestId('current-username').first(), username);

    // Turn it off with the password and a code.
    await page.goto(`${server.url}/settings`);
    await page.getByTestId('two-factor-disable-password').fill(password);
    await page.getByTestId('disable-code-input').fill(await freshCode(secret, used));
    await page.getByTestId('two-factor-disable-submit').click();
    await expectText(section.getByTestId('two-factor-state'), /^Off/);

    // Signing in takes the password alone again.
    await page.getByTestId('logout-button').click();
    await page.waitForURL(/\/login/);
    await page.getByTestId('username-input').fill(username);
    await page.getByTestId('password-input').fill(password);
    await page.getByTestId('login-submit').click();
    await expectText(page.getByTestId('current-username').first(), username);
  }, 180_000);

  it('fits a phone screen', async () => {
    const phone = await openPerson({ viewport: { width: 390, height: 844 } });
    try {
      const username = uniqueName('pia');
      await signUpInBrowser(phone.page, server.url, username);
      await phone.page.goto(`${server.url}/settings`);
      const section = phone.page.getByTestId('two-factor-section');
      await section.getByTestId('two-factor-setup-button').click();
      await section.getByTestId('two-factor-qr').waitFor();
      await section.scrollIntoViewIfNeeded();
      const overflow = await phone.page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow).toBeLessThanOrEqual(0);
      await shoot(phone.page, 'phone-two-factor-setup');
    } finally {
      await phone.close();
    }
  }, 120_000);
});
