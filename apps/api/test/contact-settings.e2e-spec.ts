import 'reflect-metadata';
import type { ContactInfo, ContactsResponse } from '@natter/contracts';
import request from 'supertest';
import {
  bearer,
  ClientSocket,
  collect,
  connectSocket,
  nextEvent,
  signup,
  sleep,
  TestUser,
} from './support/clients';
import { befriend } from './support/messaging';
import { createTestApp, dropDatabase, TestApp } from './support/test-app';

describe('contact settings: mute (PUT /api/contacts/:contactId/settings)', () => {
  let t: TestApp;
  let alice: TestUser;
  let bob: TestUser;
  let stranger: TestUser;
  const sockets: ClientSocket[] = [];

  const contactsOf = async (user: TestUser): Promise<ContactInfo[]> =>
    (
      (await request(t.url).get('/api/contacts').set(bearer(user)).expect(200))
        .body as ContactsResponse
    ).contacts;
  const mutedFlags = async () =>
    (await t.db.collection('contacts').find({}).toArray()).map((doc) => ({
      owner: String(doc.userId),
      muted: doc.muted ?? false,
    }));

  beforeAll(async () => {
    t = await createTestApp({ label: 'contactsettings' });
    [alice, bob, stranger] = await Promise.all([signup(t.url), signup(t.url), signup(t.url)]);
    await befriend(t.url, alice, bob);
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    if (t) await dropDatabase(t);
    await t?.close();
  });

  it('a new contact is not muted', async () => {
    const [contact] = await contactsOf(alice);
    expect(contact).toMatchObject({ id: bob.id, muted: false });
  });

  it('mutes for the owner only, tells all their sockets and not the contact', async () => {
    const [tab1, tab2, bobSocket] = await Promise.all([
      connectSocket(t.url, alice.accessToken),
      connectSocket(t.url, alice.accessToken),
      connectSocket(t.url, bob.accessToken),
    ]);
    sockets.push(tab1, tab2, bobSocket);
    const bobHears = collect(bobSocket, 'contact_settings_updated');
    const onTab1 = nextEvent(tab1, 'contact_settings_updated');
    const onTab2 = nextEvent(tab2, 'contact_settings_updated');

    const response = await request(t.url)
      .put(`/api/contacts/${bob.id}/settings`)
      .set(bearer(alice))
      .send({ muted: true })
      .expect(200);
    expect(response.body.contact).toMatchObject({
      id: bob.id,
      username: bob.username,
      muted: true,
    });

    expect((await onTab1).contact).toMatchObject({ id: bob.id, muted: true });
    expect((await onTab2).contact).toMatchObject({ id: bob.id, muted: true });
    expect((await contactsOf(alice))[0].muted).toBe(true);
    // Bob's own view of Alice is untouched, and he is not told.
    expect((await contactsOf(bob))[0]).toMatchObject({ id: alice.id, muted: false });
    await sleep(300);
    expect(bobHears).toHaveLength(0);
    // Stored on Alice's own direction of the pair only.
    expect(await mutedFlags()).toEqual(
      expect.arrayContaining([
        { owner: alice.id, muted: true },
        { owner: bob.id, muted: false },
      ]),
    );
  });

  it('unmutes again', async () => {
    await request(t.url)
      .put(`/api/contacts/${bob.id}/settings`)
      .set(bearer(alice))
      .send({ muted: false })
      .expect(200);
    expect((await contactsOf(alice))[0].muted).toBe(false);
  });

  it('404 for a non-contact, yourself or an unknown id, and nothing is stored', async () => {
    const before = await mutedFlags();
    for (const id of [stranger.id, alice.id, '0123456789abcdef01234567']) {
      const response = await request(t.url)
        .put(`/api/contacts/${id}/settings`)
        .set(bearer(alice))
        .send({ muted: true })
        .expect(404);
      expect(response.body.code).toBe('CONTACT_NOT_FOUND');
    }
    expect(await t.db.collection('contacts').countDocuments({ userId: { $exists: true } })).toBe(
      before.length,
    );
    expect(await mutedFlags()).toEqual(before);
  });

  it('400 for hostile input (wrong types, unknown fields, malformed id), 401 without a token', async () => {
    const before = await mutedFlags();
    const bad: unknown[] = [
      {},
      { muted: 'yes' },
      { muted: 1 },
      { muted: null },
      { muted: true, extra: 1 },
    ];
    for (const body of bad) {
      await request(t.url)
        .put(`/api/contacts/${bob.id}/settings`)
        .set(bearer(alice))
        .send(body as object)
        .expect(400);
    }
    await request(t.url)
      .put('/api/contacts/not-an-id/settings')
      .set(bearer(alice))
      .send({ muted: true })
      .expect(400);
    await request(t.url)
      .put(`/api/contacts/${bob.id}/settings`)
      .set('Content-Type', 'application/json')
      .set(bearer(alice))
      .send('{"muted": tru')
      .expect(400);
    await request(t.url).put(`/api/contacts/${bob.id}/settings`).send({ muted: true }).expect(401);
    expect(await mutedFlags()).toEqual(before);
  });

  it('the setting ends with the contact: a new friendship starts unmuted', async () => {
    await request(t.url)
      .put(`/api/contacts/${bob.id}/settings`)
      .set(bearer(alice))
      .send({ muted: true })
      .expect(200);
    await request(t.url)
      .post('/api/contacts/remove')
      .set(bearer(alice))
      .send({ contactId: bob.id })
      .expect(200);
    await request(t.url)
      .put(`/api/contacts/${bob.id}/settings`)
      .set(bearer(alice))
      .send({ muted: false })
      .expect(404);
    await befriend(t.url, alice, bob);
    expect((await contactsOf(alice))[0]).toMatchObject({ id: bob.id, muted: false });
  });
});
