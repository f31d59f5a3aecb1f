import 'reflect-metadata';
import type { HistoryResponse, MessageInfo } from '@natter/contracts';
import { IMAGE_CAPTION_MAX_LENGTH } from '@natter/contracts';
import sharp from 'sharp';
import request from 'supertest';
import {
  bearer,
  ClientSocket,
  connectSocket,
  nextEvent,
  signup,
  TestUser,
} from './support/clients';
import { befriend } from './support/messaging';
import { createTestApp, dropDatabase, TestApp } from './support/test-app';

describe('image captions (POST /api/messages/image with `text`)', () => {
  let t: TestApp;
  let alice: TestUser;
  let bob: TestUser;
  let png: Buffer;
  const sockets: ClientSocket[] = [];

  const upload = (fields: Record<string, string>) => {
    let req = request(t.url)
      .post('/api/messages/image')
      .set(bearer(alice))
      .field('recipientId', bob.id);
    for (const [name, value] of Object.entries(fields)) req = req.field(name, value);
    return req.attach('image', png, { filename: 'p.png', contentType: 'image/png' });
  };
  const counts = async () => ({
    messages: await t.db.collection('messages').countDocuments(),
    media: await t.db.collection('media').countDocuments(),
  });
  const history = async (): Promise<MessageInfo[]> =>
    (
      (
        await request(t.url)
          .get(`/api/conversations/${alice.id}/messages`)
          .set(bearer(bob))
          .expect(200)
      ).body as HistoryResponse
    ).messages;

  beforeAll(async () => {
    t = await createTestApp({ label: 'imagecaption' });
    [alice, bob] = await Promise.all([signup(t.url), signup(t.url)]);
    await befriend(t.url, alice, bob);
    png = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#3366cc' } })
      .png()
      .toBuffer();
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    if (t) await dropDatabase(t);
    await t?.close();
  });

  it('stores a trimmed caption on the one image message and returns it as `text`, live and in history', async () => {
    const bobSocket = await connectSocket(t.url, bob.accessToken);
    sockets.push(bobSocket);
    const live = nextEvent(bobSocket, 'new_message');
    const before = await counts();
    const response = await upload({ text: '  Sunset at the lake  ' }).expect(201);
    const message = response.body.message as MessageInfo;
    expect(message).toMatchObject({ type: 'image', text: 'Sunset at the lake' });
    expect(message.image?.id).toBeDefined();
    expect((await live).message).toMatchObject({ id: message.id, text: 'Sunset at the lake' });
    // One message, not an image plus a text.
    expect(await counts()).toEqual({ messages: before.messages + 1, media: before.media + 1 });
    const stored = (await history()).find((m) => m.id === message.id);
    expect(stored).toMatchObject({ type: 'image', text: 'Sunset at the lake' });
  });

  it('no caption, an empty one or only spaces: an image without `text`', async () => {
    const variants: Record<string, string>[] = [{}, { text: '' }, { text: '   \n ' }];
    for (const fields of variants) {
      const message = (await upload(fields).expect(201)).body.message as MessageInfo;
      expect(message.type).toBe('image');
      expect(message).not.toHaveProperty('text');
    }
  });

  it('accepts exactly the maximum length and refuses one more with 400, storing nothing', async () => {
    const longest = 'x'.repeat(IMAGE_CAPTION_MAX_LENGTH);
    const ok = (await upload({ text: longest }).expect(201)).body.message as MessageInfo;
    expect(ok.text).toHaveLength(IMAGE_CAPTION_MAX_LENGTH);
    const before = await counts();
    const refused = await upload({ text: `${longest}y` }).expect(400);
    expect(refused.body.code).toBe('VALIDATION_FAILED');
    // Two captions or an unknown field are refused too.
    await request(t.url)
      .post('/api/messages/image')
      .set(bearer(alice))
      .field('recipientId', bob.id)
      .field('text', 'one')
      .field('text', 'two')
      .attach('image', png, { filename: 'p.png', contentType: 'image/png' })
      .expect(400);
    await upload({ caption: 'wrong field' }).expect(400);
    expect(await counts()).toEqual(before);
  });

  it('a caption is plain text: markup is stored and returned as sent', async () => {
    const text = '<img src=x onerror=alert(1)> https://example.com';
    const message = (await upload({ text }).expect(201)).body.message as MessageInfo;
    expect(message.text).toBe(text);
  });
});
