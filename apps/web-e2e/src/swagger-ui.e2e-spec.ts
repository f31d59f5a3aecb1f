import { seedMessages } from './support/api';
import { openPerson, Person, screenshot } from './support/browser';
import { uniqueName } from './support/expect';
import { RunningServer, startServer } from './support/server';

/** SPEC §8.5: "Try it out" in Swagger UI works, path parameters included. */
describe('Swagger UI at /api/docs', () => {
  let server: RunningServer;
  let person: Person;

  const post = async (path: string, body: object, token?: string) => {
    const response = await fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${path}: ${response.status}`);
    return (await response.json()) as Record<string, { id: string }> & { accessToken: string };
  };

  beforeAll(async () => {
    server = await startServer('swagger');
    person = await openPerson();
  });
  afterAll(async () => {
    await person?.close();
    await server?.stop();
  });

  it('drives the history endpoint with a path parameter and gets 200', async () => {
    const password = 'browser password 1';
    const a = await post('/api/signup', { username: uniqueName('sw'), password });
    const bName = uniqueName('sx');
    const b = await post('/api/signup', { username: bName, password });
    const sent = await post('/api/friend-requests/send', { username: bName }, a.accessToken);
    await post('/api/friend-requests/accept', { requestId: sent.request.id }, b.accessToken);
    await seedMessages(server.url, a.accessToken, b.user.id, 2, 'from swagger');

    const { page } = person;
    await page.goto(`${server.url}/api/docs`);
    await page.locator('.swagger-ui .btn.authorize').first().click();
    // The modal lists both schemes (bearer, refresh cookie), each with its own form.
    const bearerForm = page.locator('.modal-ux form').filter({ hasText: 'bearer (http, Bearer)' });
    await bearerForm.locator('input').first().fill(a.accessToken);
    await bearerForm.locator('button.authorize').click();
    await bearerForm.locator('button.btn-done').click();

    const operation = page.locator('#operations-messages-MessagesController_history');
    await operation.locator('.opblock-summary').first().click();
    await operation.locator('button.try-out__btn').click();
    await operation.locator('input[placeholder="contactId"]').fill(b.user.id);
    await operation.locator('input[placeholder="limit"]').fill('10');
    await operation.locator('button.execute').click();

    const status = operation.locator('.live-responses-table .response .response-col_status');
    await status.first().waitFor();
    expect((await status.first().innerText()).trim()).toBe('200');
    const requestUrl = await operation.locator('.request-url').first().innerText();
    expect(requestUrl).toContain(`/api/conversations/${b.user.id}/messages?limit=10`);
    const body = await operation
      .locator('.live-responses-table .response-col_description pre')
      .first()
      .innerText();
    expect(body).toContain('from swagger');
    expect(body).toContain('peerLastReadSeq');
    await screenshot(page, 'swagger-try-it-out');
  });
});
