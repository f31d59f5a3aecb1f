// Over 300 lines: one suite for message actions over REST and sockets against the real app
// (edit, delete, react, reply, who may act, the contacts preview), sharing one app.
import 'reflect-metadata';
import type { ContactsResponse, MessageInfo } from '@natter/contracts';
import sharp from 'sharp';
import request from 'supertest';
import { actionsApi } from './support/actions';
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
import { befriend, emitAck, newClientId, sendText } from './support/messaging';
import { createTestApp, dropDatabase, TestApp } from './support/test-app';

/** Short windows so the tests can step past them by ageing a message in the database. */
const EDIT_WINDOW_SECONDS = 600;
const DELETE_WINDOW_SECONDS = 1200;

describe('message actions: edit, delete, react, reply (REST and sockets)', () => {
  let t: TestApp;
  let api: ReturnType<typeof actionsApi>;
  const sockets: ClientSocket[] = [];
  const connect = async (user: TestUser) => {
    const socket = await connectSocket(t.url, user.accessToken);
    sockets.push(socket);
    return socket;
  };

  beforeAll(async () => {
    t = await createTestApp({
      label: 'msgactions',
      env: {
        MESSAGE_EDIT_WINDOW_SECONDS: String(EDIT_WINDOW_SECONDS),
        MESSAGE_DELETE_WINDOW_SECONDS: String(DELETE_WINDOW_SECONDS),
      },
    });
    api = actionsApi(t.url);
  });
  afterAll(async () => {
    sockets.forEach((socket) => socket.close());
    await dropDatabase(t);
    await t.close();
  });

  const pair = async () => {
    const [a, b] = await Promise.all([signup(t.url), signup(t.url)]);
    await befriend(t.url, a, b);
    return [a, b] as const;
  };
  const say = async (from: TestUser, to: TestUser, text: string, replyToId?: string) => {
    const socket = await connect(from);
    const ack = await emitAck<{ message: MessageInfo }>(socket, 'send_private_message', {
      recipientId: to.id,
      text,
      clientId: newClientId(),
      ...(replyToId ? { replyToId } : {}),
    });
    socket.close();
    if (!ack.ok) throw new Error(`send refused: ${ack.error.code}`);
    return ack.message;
  };
  const age = async (messageId: string, seconds: number) => {
    const { Types } = await import('mongoose');
    await t.db
      .collection('messages')
      .updateOne(
        { _id: new Types.ObjectId(messageId) },
        { $set: { createdAt: new Date(Date.now() - seconds * 1000) } },
      );
  };
  const stored = async (messageId: string) => {
    const { Types } = await import('mongoose');
    return t.db.collection('messages').findOne({ _id: new Types.ObjectId(messageId) });
  };
  let png: Buffer;
  beforeAll(async () => {
    png = await sharp({ create: { width: 30, height: 20, channels: 3, background: '#c36' } })
      .png()
      .toBuffer();
  });
  const uploadImage = (from: TestUser, to: TestUser, fields: Record<string, string> = {}) => {
    let call = request(t.url)
      .post('/api/messages/image')
      .set(bearer(from))
      .field('recipientId', to.id);
    for (const [name, value] of Object.entries(fields)) call = call.field(name, value);
    return call.attach('image', png, { filename: 'x.png', contentType: 'image/png' });
  };

  describe('edit', () => {
    it('edits your own text message; both sides get message_updated with editedAt', async () => {
      const [alice, bob] = await pair();
      const original = await say(alice, bob, 'helo');
      const bobSocket = await connect(bob);
      const aliceSocket = await connect(alice);
      const toBob = nextEvent(bobSocket, 'message_updated');
      const toAlice = nextEvent(aliceSocket, 'message_updated');
      const response = await api.edit(alice, original.id, { text: '  hello  ' }).expect(200);
      const edited: MessageInfo = response.body.message;
      expect(edited).toMatchObject({ id: original.id, seq: original.seq, text: 'hello' });
      expect(edited.editedAt).toBeDefined();
      expect((await toBob).message).toEqual(edited);
      expect((await toAlice).message).toEqual(edited);
      const history = await api.history(bob, alice.id);
      expect(history.messages.find((m) => m.id === original.id)).toEqual(edited);
    });

    it('the same edit twice changes nothing the second time', async () => {
      const [alice, bob] = await pair();
      const original = await say(alice, bob, 'one');
      const first = (await api.edit(alice, original.id, { text: 'two' }).expect(200)).body.message;
      const bobSocket = await connect(bob);
      const updates = collect(bobSocket, 'message_updated');
      const second = (await api.edit(alice, original.id, { text: 'two' }).expect(200)).body.message;
      expect(second).toEqual(first);
      await sleep(300);
      expect(updates).toHaveLength(0);
    });

    it('over the socket: ack carries the message, same rules', async () => {
      const [alice, bob] = await pair();
      const original = await say(alice, bob, 'socket edit');
      const socket = await connect(alice);
      const ack = await emitAck<{ message: MessageInfo }>(socket, 'edit_message', {
        messageId: original.id,
        text: 'edited by socket',
      });
      expect(ack).toMatchObject({ ok: true, message: { text: 'edited by socket' } });
      const bobSocket = await connect(bob);
      const refused = await emitAck(bobSocket, 'edit_message', {
        messageId: original.id,
        text: 'not mine',
      });
      expect(refused).toEqual({
        ok: false,
        error: expect.objectContaining({ code: 'MESSAGE_NOT_FOUND' }),
      });
      for (const payload of [
        { messageId: original.id, text: '   ' },
        { messageId: original.id, text: 42 },
        { messageId: 'nope', text: 'x' },
        { messageId: original.id, text: 'x', extra: true },
        'string payload',
      ]) {
        const bad = await emitAck(socket, 'edit_message', payload);
        expect(bad).toEqual({
          ok: false,
          error: expect.objectContaining({ code: 'VALIDATION_FAILED' }),
        });
      }
      expect((await stored(original.id))?.text).toBe('edited by socket');
    });

    it('every error row: 404 not yours or unknown, 400 invalid or not text, 409 deleted, 403 window', async () => {
      const [alice, bob] = await pair();
      const message = await say(alice, bob, 'mine');
      expect((await api.edit(bob, message.id, { text: 'x' }).expect(404)).body.code).toBe(
        'MESSAGE_NOT_FOUND',
      );
      await api.edit(alice, '0'.repeat(24), { text: 'x' }).expect(404);
      expect((await api.edit(alice, 'not-an-id', { text: 'x' }).expect(400)).body.code).toBe(
        'VALIDATION_FAILED',
      );
      await api.edit(alice, message.id, { text: '' }).expect(400);
      await api.edit(alice, message.id, { text: 'x'.repeat(4001) }).expect(400);
      await api.edit(alice, message.id, { text: ['x'] }).expect(400);
      await api.edit(alice, message.id, { text: 'x', senderId: bob.id }).expect(400);
      await api.edit(alice, message.id, {}).expect(400);

      const image = (await uploadImage(alice, bob).expect(201)).body.message as MessageInfo;
      expect((await api.edit(alice, image.id, { text: 'caption' }).expect(400)).body.code).toBe(
        'NOT_A_TEXT_MESSAGE',
      );

      const old = await say(alice, bob, 'old');
      await age(old.id, EDIT_WINDOW_SECONDS + 5);
      expect((await api.edit(alice, old.id, { text: 'too late' }).expect(403)).body.code).toBe(
        'EDIT_WINDOW_PASSED',
      );
      expect((await stored(old.id))?.text).toBe('old');
      await age(old.id, EDIT_WINDOW_SECONDS - 30);
      await api.edit(alice, old.id, { text: 'just in time' }).expect(200);

      await api.delete(alice, message.id, 'everyone').expect(204);
      expect((await api.edit(alice, message.id, { text: 'x' }).expect(409)).body.code).toBe(
        'MESSAGE_DELETED',
      );
    });
  });

  describe('delete for everyone', () => {
    it('leaves a tombstone with seq and type; both sides get message_updated; idempotent', async () => {
      const [alice, bob] = await pair();
      const message = await say(alice, bob, 'oops wrong person');
      await api.react(bob, message.id, { emoji: '😂' }).expect(200);
      const bobSocket = await connect(bob);
      const toBob = nextEvent(bobSocket, 'message_updated');
      await api.delete(alice, message.id, 'everyone').expect(204);
      const tombstone = (await toBob).message;
      expect(tombstone).toEqual({
        id: message.id,
        conversationId: message.conversationId,
        seq: message.seq,
        senderId: alice.id,
        recipientId: bob.id,
        type: 'text',
        clientId: message.clientId,
        createdAt: message.createdAt,
        deletedAt: expect.any(String),
        reactions: [],
      });
      const doc = await stored(message.id);
      expect(doc?.text).toBeNull();
      await api.delete(alice, message.id, 'everyone').expect(204);
      const history = await api.history(alice, bob.id);
      expect(history.messages.find((m) => m.id === message.id)).toEqual(tombstone);
      expect((await api.react(bob, message.id, { emoji: '👍' }).expect(409)).body.code).toBe(
        'MESSAGE_DELETED',
      );
    });

    it('an image: its files are gone from storage and its URLs answer 404', async () => {
      const [alice, bob] = await pair();
      const image = (await uploadImage(alice, bob).expect(201)).body.message as MessageInfo;
      await request(t.url).get(image.image!.url).set(bearer(bob)).expect(200);
      const { Types } = await import('mongoose');
      const media = await t.db
        .collection('media')
        .findOne({ _id: new Types.ObjectId(image.image!.id) });
      expect(media).not.toBeNull();
      const fileIds = [media!.fileId, media!.thumbnailFileId];
      expect(await t.db.collection('media.files').countDocuments({ _id: { $in: fileIds } })).toBe(
        2,
      );

      await api.delete(alice, image.id, 'everyone').expect(204);
      expect(await t.db.collection('media').countDocuments({ _id: media!._id })).toBe(0);
      expect(await t.db.collection('media.files').countDocuments({ _id: { $in: fileIds } })).toBe(
        0,
      );
      expect(
        await t.db.collection('media.chunks').countDocuments({ files_id: { $in: fileIds } }),
      ).toBe(0);
      for (const user of [alice, bob])
        for (const url of [image.image!.url, image.image!.thumbnailUrl])
          await request(t.url).get(url).set(bearer(user)).expect(404);
      const [tombstone] = (await api.history(bob, alice.id)).messages.filter(
        (m) => m.id === image.id,
      );
      expect(tombstone).toMatchObject({
        type: 'image',
        seq: image.seq,
        deletedAt: expect.any(String),
      });
      expect(tombstone.image).toBeUndefined();
    });

    it('errors: 404 unless you sent it, 403 after the window, 400 for a bad scope', async () => {
      const [alice, bob] = await pair();
      const message = await say(alice, bob, 'keep');
      expect((await api.delete(bob, message.id, 'everyone').expect(404)).body.code).toBe(
        'MESSAGE_NOT_FOUND',
      );
      await api.delete(alice, message.id, 'all').expect(400);
      await request(t.url).delete(`/api/messages/${message.id}`).set(bearer(alice)).expect(400);
      await age(message.id, DELETE_WINDOW_SECONDS + 5);
      expect((await api.delete(alice, message.id, 'everyone').expect(403)).body.code).toBe(
        'DELETE_WINDOW_PASSED',
      );
      expect((await stored(message.id))?.deletedAt).toBeNull();
      // Delete for me has no window.
      await api.delete(alice, message.id, 'me').expect(204);
    });

    it('over the socket', async () => {
      const [alice, bob] = await pair();
      const message = await say(alice, bob, 'socket delete');
      const socket = await connect(alice);
      expect(
        await emitAck(socket, 'delete_message', { messageId: message.id, for: 'everyone' }),
      ).toEqual({ ok: true });
      expect((await stored(message.id))?.deletedAt).not.toBeNull();
      const bad = await emitAck(socket, 'delete_message', { messageId: message.id, for: 'nobody' });
      expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    });
  });

  describe('delete for me', () => {
    it('either participant; hidden on all their devices; history and preview never show it again', async () => {
      const [alice, bob] = await pair();
      const first = await say(alice, bob, 'first');
      const second = await say(alice, bob, 'second, newest');
      const bobTab1 = await connect(bob);
      const bobTab2 = await connect(bob);
      const aliceSocket = await connect(alice);
      const aliceHidden = collect(aliceSocket, 'message_hidden');
      const onTab2 = nextEvent(bobTab2, 'message_hidden');
      expect(await emitAck(bobTab1, 'delete_message', { messageId: second.id, for: 'me' })).toEqual(
        { ok: true },
      );
      expect(await onTab2).toEqual({ contactId: alice.id, messageId: second.id });

      const bobHistory = await api.history(bob, alice.id);
      expect(bobHistory.messages.map((m) => m.id)).toEqual([first.id]);
      const aliceHistory = await api.history(alice, bob.id);
      expect(aliceHistory.messages.map((m) => m.id)).toEqual([first.id, second.id]);
      const contacts = async (user: TestUser) =>
        (
          (await request(t.url).get('/api/contacts').set(bearer(user)).expect(200))
            .body as ContactsResponse
        ).contacts;
      expect((await contacts(bob))[0].lastMessage).toMatchObject({ seq: first.seq, text: 'first' });
      expect((await contacts(alice))[0].lastMessage).toMatchObject({
        seq: second.seq,
        text: 'second, newest',
      });
      // Repeating is harmless; the other side was never told.
      await api.delete(bob, second.id, 'me').expect(204);
      await sleep(200);
      expect(aliceHidden).toHaveLength(0);
      // An edit of a message Bob hid does not reach him.
      const bobUpdates = collect(bobTab1, 'message_updated');
      await api.edit(alice, second.id, { text: 'second, edited' }).expect(200);
      await sleep(300);
      expect(bobUpdates).toHaveLength(0);
    });

    it('the sender may hide their own message; strangers get 404', async () => {
      const [alice, bob] = await pair();
      const message = await say(alice, bob, 'mine to hide');
      await api.delete(alice, message.id, 'me').expect(204);
      const stranger = await signup(t.url);
      expect((await api.delete(stranger, message.id, 'me').expect(404)).body.code).toBe(
        'MESSAGE_NOT_FOUND',
      );
    });
  });

  describe('reactions', () => {
    it('one per user: set, replace, remove; both sides get message_updated; idempotent', async () => {
      const [alice, bob] = await pair();
      const message = await say(alice, bob, 'react to me');
      const aliceSocket = await connect(alice);
      const updates = collect(aliceSocket, 'message_updated');
      const set = (await api.react(bob, message.id, { emoji: '👍' }).expect(200)).body.message;
      expect(set.reactions).toEqual([{ userId: bob.id, emoji: '👍' }]);
      const replaced = (await api.react(bob, message.id, { emoji: '❤️' }).expect(200)).body.message;
      expect(replaced.reactions).toEqual([{ userId: bob.id, emoji: '❤️' }]);
      await api.react(bob, message.id, { emoji: '❤️' }).expect(200);
      const both = (await api.react(alice, message.id, { emoji: '👨‍👩‍👧' }).expect(200)).body.message;
      expect(both.reactions).toHaveLength(2);
      const removed = (await api.unreact(bob, message.id).expect(200)).body.message;
      expect(removed.reactions).toEqual([{ userId: alice.id, emoji: '👨‍👩‍👧' }]);
      await api.unreact(bob, message.id).expect(200);
      await sleep(200);
      // set, replace, alice's, removal: the repeats sent nothing.
      expect(updates.map((u) => u.message.reactions.length)).toEqual([1, 1, 2, 1]);
      expect(await t.db.collection('messagereactions').countDocuments({})).toBeGreaterThan(0);
    });

    it('accepts single emoji (skin tones, flags, ZWJ, keycaps) and refuses everything else with 400', async () => {
      const [alice, bob] = await pair();
      const message = await say(alice, bob, 'emoji test');
      for (const emoji of ['😀', '👍🏽', '🇫🇷', '👩‍💻', '❤️', '1️⃣', '🏳️‍🌈'])
        await api.react(bob, message.id, { emoji }).expect(200);
      for (const emoji of [
        'a',
        '1',
        '#',
        '😀😀',
        '😀a',
        '',
        ' ',
        '<b>',
        42,
        null,
        ['😀'],
        '😀'.repeat(20),
        '\u200d',
      ])
        expect((await api.react(bob, message.id, { emoji }).expect(400)).body.code).toBe(
          'VALIDATION_FAILED',
        );
      const socket = await connect(bob);
      expect(await emitAck(socket, 'react', { messageId: message.id, emoji: 'ab' })).toMatchObject({
        ok: false,
        error: { code: 'VALIDATION_FAILED' },
      });
      expect(await emitAck(socket, 'react', { messageId: message.id })).toMatchObject({
        ok: false,
        error: { code: 'VALIDATION_FAILED' },
      });
      const ack = await emitAck<{ message: MessageInfo }>(socket, 'react', {
        messageId: message.id,
        emoji: '🙏',
      });
      expect(ack).toMatchObject({
        ok: true,
        message: { reactions: [{ userId: bob.id, emoji: '🙏' }] },
      });
      const cleared = await emitAck<{ message: MessageInfo }>(socket, 'react', {
        messageId: message.id,
        emoji: null,
      });
      expect(cleared).toMatchObject({ ok: true, message: { reactions: [] } });
    });

    it('concurrent reactions by both users on one message keep both', async () => {
      const [alice, bob] = await pair();
      const aliceSocket = await connect(alice);
      const bobSocket = await connect(bob);
      for (let round = 0; round < 8; round++) {
        const message = await sendText(aliceSocket, bob.id, `race ${round}`);
        await Promise.all([
          emitAck(aliceSocket, 'react', { messageId: message.id, emoji: '🔥' }),
          emitAck(bobSocket, 'react', { messageId: message.id, emoji: '🎉' }),
          api.react(alice, message.id, { emoji: '🔥' }).expect(200),
        ]);
        const [shown] = (await api.history(bob, alice.id, `?after=${message.seq - 1}`)).messages;
        expect(shown.reactions).toEqual(
          expect.arrayContaining([
            { userId: alice.id, emoji: '🔥' },
            { userId: bob.id, emoji: '🎉' },
          ]),
        );
        expect(shown.reactions).toHaveLength(2);
      }
    });
  });

  describe('replies', () => {
    it('text and image replies carry a live summary of the original', async () => {
      const [alice, bob] = await pair();
      const long = 'q'.repeat(250);
      const original = await say(alice, bob, long);
      const reply = await say(bob, alice, 'answer', original.id);
      expect(reply.replyTo).toEqual({
        id: original.id,
        seq: original.seq,
        senderId: alice.id,
        type: 'text',
        text: 'q'.repeat(200),
      });
      const imageReply = (await uploadImage(alice, bob, { replyToId: reply.id }).expect(201)).body
        .message;
      expect(imageReply.replyTo).toMatchObject({ id: reply.id, text: 'answer' });

      await api.edit(alice, original.id, { text: 'edited original' }).expect(200);
      let shown = (await api.history(alice, bob.id)).messages.find((m) => m.id === reply.id);
      expect(shown?.replyTo?.text).toBe('edited original');
      await api.delete(alice, original.id, 'everyone').expect(204);
      shown = (await api.history(bob, alice.id)).messages.find((m) => m.id === reply.id);
      expect(shown?.replyTo).toEqual({
        id: original.id,
        seq: original.seq,
        senderId: alice.id,
        type: 'text',
        deleted: true,
      });
    });

    it('refuses a reply to another conversation’s message, a deleted one, or a malformed id', async () => {
      const [alice, bob] = await pair();
      const carol = await signup(t.url);
      await befriend(t.url, alice, carol);
      const elsewhere = await say(alice, carol, 'not for bob');
      const socket = await connect(bob);
      const send = (replyToId: unknown) =>
        emitAck(socket, 'send_private_message', {
          recipientId: alice.id,
          text: 'reply',
          clientId: newClientId(),
          replyToId,
        });
      expect(await send(elsewhere.id)).toMatchObject({
        ok: false,
        error: { code: 'REPLY_TARGET_NOT_FOUND' },
      });
      expect(await send('0'.repeat(24))).toMatchObject({
        ok: false,
        error: { code: 'REPLY_TARGET_NOT_FOUND' },
      });
      expect(await send('xyz')).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
      const gone = await say(alice, bob, 'about to go');
      await api.delete(alice, gone.id, 'everyone').expect(204);
      expect(await send(gone.id)).toMatchObject({
        ok: false,
        error: { code: 'REPLY_TARGET_NOT_FOUND' },
      });
      const before = await t.db.collection('messages').countDocuments({});
      expect(
        (await uploadImage(bob, alice, { replyToId: elsewhere.id }).expect(404)).body.code,
      ).toBe('REPLY_TARGET_NOT_FOUND');
      expect(await t.db.collection('messages').countDocuments({})).toBe(before);
      expect(
        await t.db.collection('media').countDocuments({
          ownerId: { $exists: true },
          pairKey: [alice.id, bob.id].sort().join(':'),
        }),
      ).toBe(0);
    });
  });

  describe('who may act', () => {
    it('a stranger, an ex-contact and a blocked user can do none of it', async () => {
      const [alice, bob] = await pair();
      const message = await say(alice, bob, 'private');
      const stranger = await signup(t.url);
      const attempts = (user: TestUser) => [
        api.edit(user, message.id, { text: 'x' }),
        api.delete(user, message.id, 'everyone'),
        api.delete(user, message.id, 'me'),
        api.react(user, message.id, { emoji: '👍' }),
        api.unreact(user, message.id),
        api.changes(user, alice.id, '0.0'),
      ];
      for (const response of await Promise.all(attempts(stranger)))
        expect(response.status).toBe(404);

      // Ex-contact: Bob removes Alice.
      const [carol, dave] = await pair();
      const toDave = await say(carol, dave, 'before removal');
      await request(t.url)
        .post('/api/contacts/remove')
        .set(bearer(dave))
        .send({ contactId: carol.id })
        .expect(200);
      for (const response of await Promise.all([
        api.edit(carol, toDave.id, { text: 'x' }),
        api.delete(carol, toDave.id, 'everyone'),
        api.delete(dave, toDave.id, 'me'),
        api.react(dave, toDave.id, { emoji: '👍' }),
        api.changes(dave, carol.id, '0.0'),
      ]))
        expect(response.status).toBe(404);

      // Blocked: Bob blocks Alice; neither can act on what was between them.
      await request(t.url)
        .post('/api/blocks')
        .set(bearer(bob))
        .send({ userId: alice.id })
        .expect(201);
      const socket = await connect(alice);
      for (const response of await Promise.all([
        api.edit(alice, message.id, { text: 'x' }),
        api.delete(alice, message.id, 'everyone'),
        api.react(bob, message.id, { emoji: '👍' }),
        api.changes(alice, bob.id, '0.0'),
      ]))
        expect([403, 404]).toContain(response.status);
      const ack = await emitAck(socket, 'react', { messageId: message.id, emoji: '👍' });
      expect(ack.ok).toBe(false);
      const { Types } = await import('mongoose');
      expect(
        await t.db
          .collection('messagereactions')
          .countDocuments({ messageId: new Types.ObjectId(message.id) }),
      ).toBe(0);
      expect(await t.db.collection('messages').countDocuments({ text: 'x' })).toBe(0);
    });

    it('unauthenticated requests are 401', async () => {
      await request(t.url)
        .patch(`/api/messages/${'0'.repeat(24)}`)
        .send({ text: 'x' })
        .expect(401);
      await request(t.url)
        .delete(`/api/messages/${'0'.repeat(24)}?for=me`)
        .expect(401);
    });
  });

  describe('contacts preview and unread counts follow deletions and edits', () => {
    it('an unread message deleted for everyone stops counting; the preview shows the edit or the tombstone', async () => {
      const [alice, bob] = await pair();
      await say(alice, bob, 'one');
      const two = await say(alice, bob, 'two');
      const contactOf = async (user: TestUser) =>
        (
          (await request(t.url).get('/api/contacts').set(bearer(user)).expect(200))
            .body as ContactsResponse
        ).contacts[0];
      expect((await contactOf(bob)).unreadCount).toBe(2);
      await api.edit(alice, two.id, { text: 'two, edited' }).expect(200);
      expect((await contactOf(bob)).lastMessage).toMatchObject({
        seq: two.seq,
        text: 'two, edited',
      });
      await api.delete(alice, two.id, 'everyone').expect(204);
      const after = await contactOf(bob);
      expect(after.unreadCount).toBe(1);
      expect(after.lastMessage).toMatchObject({ seq: two.seq, deleted: true });
      expect(after.lastMessage?.text).toBeUndefined();
    });
  });
});
