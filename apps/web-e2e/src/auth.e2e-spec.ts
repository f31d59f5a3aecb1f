import { openPerson, Person, screenshot } from './support/browser';
import { expectText, uniqueName } from './support/expect';
import { RunningServer, startServer } from './support/server';

describe('accounts in the browser', () => {
  let server: RunningServer;
  let person: Person;

  beforeAll(async () => {
    server = await startServer('auth');
    person = await openPerson();
  });
  afterAll(async () => {
    await person?.close();
    await server?.stop();
  });

  it('signs up, survives a reload, logs out, logs in and changes the password', async () => {
    const { page } = person;
    const username = uniqueName('ada');
    const password = 'first password 1';

    await page.goto(`${server.url}/signup`);
    await page.getByTestId('signup-form').waitFor();
    // Client-side rules mirror the contract: a too-short name is explained before any request.
    await page.getByTestId('username-input').fill('ab');
    await page.getByTestId('password-input').fill('short');
    await page.getByTestId('signup-submit').click();
    await page.getByTestId('username-error').waitFor();
    await screenshot(page, 'signup-validation');

    await page.getByTestId('username-input').fill(username);
    await page.getByTestId('password-input').fill(password);
    await page.getByTestId('signup-submit').click();
    await page.waitForURL(/\/chat/);
    await expectText(page.getByTestId('current-username').first(), username);
    await screenshot(page, 'chat-empty');

    // The access token lives in memory only: a reload restores the session via the cookie.
    const stored = await page.evaluate(() =>
      JSON.stringify({ ...localStorage, ...sessionStorage }),
    );
    expect(stored).not.toMatch(/eyJ/);
    await page.reload();
    await expectText(page.getByTestId('current-username').first(), username);

    await page.getByTestId('logout-button').click();
    await page.waitForURL(/\/login/);
    await page.reload();
    await page.getByTestId('login-form').waitFor();

    // Wrong password: announced error, still on the login page.
    await page.getByTestId('username-input').fill(username);
    await page.getByTestId('password-input').fill('not my password');
    await page.getByTestId('login-submit').click();
    await expectText(page.getByTestId('form-error'), /wrong username or password/i);
    await screenshot(page, 'login-error');

    await page.getByTestId('password-input').fill(password);
    await page.getByTestId('login-submit').click();
    await page.waitForURL(/\/chat/);

    await page.getByTestId('settings-link').click();
    await page.waitForURL(/\/settings/);
    await page.getByTestId('session-item').first().waitFor();
    await page.getByTestId('current-password-input').fill(password);
    await page.getByTestId('new-password-input').fill('second password 2');
    await page.getByTestId('change-password-submit').click();
    await expectText(page.getByTestId('password-status'), /changed/i);
    await screenshot(page, 'settings');

    // The new password works from a fresh sign-in; the old one does not.
    const oldLogin = await fetch(`${server.url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    expect(oldLogin.status).toBe(401);
    const newLogin = await fetch(`${server.url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: 'second password 2' }),
    });
    expect(newLogin.status).toBe(200);
  });

  it('renders the dark theme', async () => {
    const dark = await openPerson({ colorScheme: 'dark' });
    try {
      await dark.page.goto(`${server.url}/login`);
      await dark.page.getByTestId('login-form').waitFor();
      await screenshot(dark.page, 'login-dark');
      const background = await dark.page.evaluate(
        () => getComputedStyle(document.body).backgroundColor,
      );
      const [r, g, b] = (background.match(/\d+/g) ?? ['255', '255', '255']).map(Number);
      expect(r + g + b).toBeLessThan(3 * 128);
    } finally {
      await dark.close();
    }
  });
});
