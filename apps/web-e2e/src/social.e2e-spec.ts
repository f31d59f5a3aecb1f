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

  it('works on a phone-sized screen: the contact list, then the conversation alone', async () => {
    const phone = { width: 390, height: 844 };
    const carol = await openPerson({ viewport: phone });
    const dave = await openPerson({ viewport: phone });
    try {
      const cName = uniqueName('carol');
      const dName = uniqueName('dave');
      await signUpInBrowser(carol.page, server.url, cName);
      await signUpInBrowser(dave.page, server.url, dName);
      await becomeContacts(carol.page, dave.page, dName, cName);
      await screenshot(carol.page, 'phone-contacts');
      await contactItem(carol.page, dName).getByTestId('contact-link').click();
      await carol.page.getByTestId('composer-input').waitFor();
      // At this width the conversation replaces the list instead of sitting beside it.
      expect(await carol.page.getByTestId('contacts-list').isVisible()).toBe(false);
      const composer = await carol.page.getByTestId('composer-input').boundingBox();
      expect(composer!.x + composer!.width).toBeLessThanOrEqual(phone.width);
      await screenshot(carol.page, 'phone-conversation');
      await carol.page.getByTestId('back-to-contacts').click();
      await carol.page.getByTestId('contacts-list').waitFor();
    } finally {
      await carol.close();
      await dave.close();
    }
  });
});
