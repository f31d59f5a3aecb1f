import { openPerson, Person, screenshot } from './support/browser';
import { uniqueName } from './support/expect';
import { becomeContacts, contactItem, signUpInBrowser } from './support/people';
import { RunningServer, startServer } from './support/server';

describe('finding people and becoming contacts', () => {
  let server: RunningServer;
  let alice: Person;
  let bob: Person;

  beforeAll(async () => {
    server = await startServer('social');
    [alice, bob] = await Promise.all([openPerson(), openPerson()]);
  });
  afterAll(async () => {
    await alice?.close();
    await bob?.close().catch(() => undefined);
    await server?.stop();
  });

  it('A finds B, B accepts live, both see each other online, B leaves and A sees it', async () => {
    const aName = uniqueName('alice');
    const bName = uniqueName('bob');
    await signUpInBrowser(alice.page, server.url, aName);
    await signUpInBrowser(bob.page, server.url, bName);

    await alice.page.getByTestId('user-search-input').fill(bName.slice(0, 6));
    const result = alice.page.locator(`[data-testid="search-result"][data-username="${bName}"]`);
    await result.waitFor();
    expect(await result.getAttribute('data-relationship')).toBe('none');
    await screenshot(alice.page, 'search');
    await result.getByTestId('search-add').click();

    // B sees the request appear without reloading.
    const incoming = bob.page.locator(`[data-testid="incoming-request"][data-username="${aName}"]`);
    await incoming.waitFor();
    await screenshot(bob.page, 'incoming-request');
    await incoming.getByTestId('accept-request').click();

    const bOnA = contactItem(alice.page, bName);
    const aOnB = contactItem(bob.page, aName);
    await bOnA.waitFor();
    await aOnB.waitFor();
    await bOnA.locator('[data-testid="presence-dot"][data-online="true"]').waitFor();
    await aOnB.locator('[data-testid="presence-dot"][data-online="true"]').waitFor();
    await screenshot(alice.page, 'contacts-online');

    // B closes the page: A sees B go offline, live.
    await bob.close();
    await bOnA
      .locator('[data-testid="presence-dot"][data-online="false"]')
      .waitFor({ timeout: 10_000 });
    await screenshot(alice.page, 'contact-offline');
  });

  it('the helper flow works for a second pair (used by the messaging suites)', async () => {
    const carol = await openPerson();
    const dave = await openPerson();
    try {
      const cName = uniqueName('carol');
      const dName = uniqueName('dave');
      await signUpInBrowser(carol.page, server.url, cName);
      await signUpInBrowser(dave.page, server.url, dName);
      await becomeContacts(carol.page, dave.page, dName, cName);
    } finally {
      await carol.close();
      await dave.close();
    }
  });
});
