// Over 300 lines: one suite for image messages against the real app (formats, serving, every
// refused upload storing nothing, the rate limit), sharing one app and its contacts.
import 'reflect-metadata';
import type { MessageInfo } from '@natter/contracts';
import { IMAGE_MAX_BYTES } from '@natter/contracts';
import http from 'node:http';
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
import { createTestApp, dropDatabase, TestApp } from './support/test-app';

// ---------------------------------------------------------------------------------------------
// Fixtures, all made here: real images with sharp, hostile files by hand.
// ---------------------------------------------------------------------------------------------

const solid = (width: number, height: number, background = '#3366cc') =>
  sharp({ create: { width, height, channels: 3, background } });

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (data: Buffer) => {
  let crc = 0xffffffff;
  for (const byte of data) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
};
const pngChunk = (type: string, data: Buffer) => {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
};

/** A few hundred bytes whose header promises 20000×20000 RGB pixels (1.2 GB decoded). */
function craftedPixelBomb(): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(20000, 0);
  ihdr.writeUInt32BE(20000, 4);
  ihdr.writeUInt8(8, 8); // bit depth
  ihdr.writeUInt8(2, 9); // RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', Buffer.from([0x78, 0x9c, 0x63, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01])),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

interface Counts {
  media: number;
  files: number;
  chunks: number;
  messages: number;
}

describe('image messages (POST /api/messages/image, GET /api/media/:id)', () => {
  let t: TestApp;
  let alice: TestUser;
  let bob: TestUser;
  let stranger: TestUser;
  const sockets: ClientSocket[] = [];

  const counts = async (): Promise<Counts> => ({
    media: await t.db.collection('media').countDocuments(),
    files: await t.db.collection('media.files').countDocuments(),
    chunks: await t.db.collection('media.chunks').countDocuments(),
    messages: await t.db.collection('messages').countDocuments(),
  });

  const makeContacts = async (a: TestUser, b: TestUser) => {
    const sent = await request(t.url)
      .post('/api/friend-requests/send')
      .set(bearer(a))
      .send({ username: b.username })
      .expect(201);
    await request(t.url)
      .post('/api/friend-requests/accept')
      .set(bearer(b))
      .send({ requestId: sent.body.request.id })
      .expect(200);
  };

  const upload = (
    from: TestUser,
    to: string,
    data: Buffer,
    file: { filename?: string; contentType?: string } = {},
    fields: Record<string, string> = {},
  ) => {
    let req = request(t.url).post('/api/messages/image').set(bearer(from)).field('recipientId', to);
    for (const [name, value] of Object.entries(fields)) req = req.field(name, value);
    return req.attach('image', data, {
      filename: file.filename ?? 'picture.bin',
      contentType: file.contentType ?? 'application/octet-stream',
    });
  };

  /** Downloads as a Buffer whatever the content type. */
  const download = (path: string, user?: TestUser, headers: Record<string, string> = {}) => {
    const req = request(t.url).get(path).set(headers);
    if (user) req.set(bearer(user));
    return req.buffer(true).parse((res, done) => {
      const parts: Buffer[] = [];
      res.on('data', (chunk: Buffer) => parts.push(chunk));
      res.on('end', () => done(null, Buffer.concat(parts)));
    });
  };

  const auditRejections = () =>
    t.db.collection('auditevents').find({ type: 'upload_rejected' }).sort({ at: 1 }).toArray();

  beforeAll(async () => {
    t = await createTestApp({ label: 'media' });
    [alice, bob, stranger] = await Promise.all([signup(t.url), signup(t.url), signup(t.url)]);
    await makeContacts(alice, bob);
  });
  afterAll(async () => {
    sockets.forEach((socket) => socket.close());
    await dropDatabase(t);
    await t.close();
  });

  describe('accepted formats', () => {
    it.each([
      ['png', 'image/png'],
      ['jpeg', 'image/jpeg'],
      ['gif', 'image/gif'],
      ['webp', 'image/webp'],
    ] as const)(
      '%s → 201, stored re-encoded, served as %s with a WebP thumbnail',
      async (format, mime) => {
        const input = await solid(640, 480).toFormat(format).toBuffer();
        const response = await upload(alice, bob.id, input, {
          filename: `photo.${format}`,
          contentType: mime,
        }).expect(201);
        const message = response.body.message as MessageInfo;
        expect(message).toMatchObject({
          type: 'image',
          senderId: alice.id,
          recipientId: bob.id,
          seq: expect.any(Number),
        });
        expect(message.image).toEqual({
          id: expect.stringMatching(/^[a-f0-9]{24}$/),
          width: 640,
          height: 480,
          url: `/api/media/${message.image!.id}`,
          thumbnailUrl: `/api/media/${message.image!.id}/thumbnail`,
        });

        for (const user of [alice, bob]) {
          const full = await download(message.image!.url, user).expect(200);
          expect(full.headers['content-type']).toBe(mime);
          expect((await sharp(full.body as Buffer).metadata()).format).toBe(format);
          const thumb = await download(message.image!.thumbnailUrl, user).expect(200);
          expect(thumb.headers['content-type']).toBe('image/webp');
          const thumbMeta = await sharp(thumb.body as Buffer).metadata();
          expect([thumbMeta.format, thumbMeta.width, thumbMeta.height]).toEqual(['webp', 320, 240]);
        }

        const doc = await t.db
          .collection('media')
          .findOne({ _id: new (await import('mongoose')).Types.ObjectId(message.image!.id) });
        expect(doc).toMatchObject({
          contentType: mime,
          width: 640,
          height: 480,
          pairKey: [alice.id, bob.id].sort().join(':'),
        });
        expect(doc!.ownerId.toHexString()).toBe(alice.id);
        expect(doc!.conversationId.toHexString()).toBe(message.conversationId);
        expect(
          doc!.participants.map((id: { toHexString(): string }) => id.toHexString()).sort(),
        ).toEqual([alice.id, bob.id].sort());
        expect(doc!.thumbnail).toMatchObject({
          contentType: 'image/webp',
          width: 320,
          height: 240,
        });
        const files = await t.db
          .collection('media.files')
          .find({ _id: { $in: [doc!.fileId, doc!.thumbnailFileId] } })
          .toArray();
        expect(files).toHaveLength(2);
      },
    );
  });

  describe('serving', () => {
    let message: MessageInfo;
    beforeAll(async () => {
      const response = await upload(bob, alice.id, await solid(100, 80).png().toBuffer()).expect(
        201,
      );
      message = response.body.message;
    });

    it('sends the hardening headers and a strong ETag', async () => {
      const response = await download(message.image!.url, alice).expect(200);
      expect(response.headers).toMatchObject({
        'content-type': 'image/png',
        'x-content-type-options': 'nosniff',
        'content-security-policy':
          "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox",
        'content-disposition': 'inline',
        'cross-origin-resource-policy': 'same-origin',
      });
      expect(response.headers['cache-control']).toMatch(/^private, max-age=\d+$/);
      expect(response.headers['etag']).toMatch(/^"[0-9a-f]{64}"$/);
      expect(Number(response.headers['content-length'])).toBe((response.body as Buffer).length);
    });

    it('answers 304 to a matching If-None-Match, and 200 to a stale one', async () => {
      const first = await download(message.image!.url, alice).expect(200);
      const etag = first.headers['etag'];
      const cached = await download(message.image!.url, alice, { 'If-None-Match': etag }).expect(
        304,
      );
      expect((cached.body as Buffer).length).toBe(0);
      expect(cached.headers['etag']).toBe(etag);
      await download(message.image!.url, alice, { 'If-None-Match': `"${'0'.repeat(64)}"` }).expect(
        200,
      );
      const thumb = await download(message.image!.thumbnailUrl, alice).expect(200);
      expect(thumb.headers['etag']).not.toBe(etag);
      await download(message.image!.thumbnailUrl, alice, { 'If-None-Match': etag }).expect(200);
    });

    it('refuses strangers (404), anonymous callers (401) and malformed ids (400)', async () => {
      for (const path of [message.image!.url, message.image!.thumbnailUrl]) {
        const denied = await request(t.url).get(path).set(bearer(stranger)).expect(404);
        expect(denied.body).toMatchObject({ statusCode: 404, code: 'MEDIA_NOT_FOUND' });
        expect(denied.headers['content-type']).toMatch(/^application\/json/);
        await request(t.url).get(path).expect(401);
        // A stranger cannot probe with a known ETag either.
        await request(t.url).get(path).set(bearer(stranger)).set('If-None-Match', '*').expect(404);
      }
      await request(t.url).get('/api/media/not-an-id').set(bearer(alice)).expect(400);
      await request(t.url).get('/api/media/%24ne/thumbnail').set(bearer(alice)).expect(400);
      const missing = await request(t.url)
        .get(`/api/media/${'a'.repeat(24)}`)
        .set(bearer(alice))
        .expect(404);
      expect(missing.body.code).toBe('MEDIA_NOT_FOUND');
    });
  });

  describe('refused uploads store nothing', () => {
    const expectNothingStored = async (before: Counts) => expect(await counts()).toEqual(before);

    it('over 5 MB → 413 IMAGE_TOO_LARGE, audited', async () => {
      const before = await counts();
      const big = Buffer.concat([
        await solid(8, 8).png().toBuffer(),
        Buffer.alloc(IMAGE_MAX_BYTES + 1),
      ]).subarray(0, IMAGE_MAX_BYTES + 1);
      const response = await upload(alice, bob.id, big, {
        filename: 'big.png',
        contentType: 'image/png',
      }).expect(413);
      expect(response.body).toMatchObject({ statusCode: 413, code: 'IMAGE_TOO_LARGE' });
      await expectNothingStored(before);
      const audit = await auditRejections();
      expect(audit.at(-1)).toMatchObject({ details: { reason: 'size' } });
      expect(audit.at(-1)!.userId.toHexString()).toBe(alice.id);
      // Exactly at the limit is not refused for its size (it is then judged by its content).
      const exact = Buffer.alloc(IMAGE_MAX_BYTES, 0x20);
      expect((await upload(alice, bob.id, exact).expect(415)).body.code).toBe('UNSUPPORTED_IMAGE');
    });

    it('a declared body far over the limit is refused before the body is sent', async () => {
      const before = await counts();
      const { port } = new URL(t.url);
      const status = await new Promise<number>((resolve, reject) => {
        const req = http.request({
          host: '127.0.0.1',
          port: Number(port),
          method: 'POST',
          path: '/api/messages/image',
          headers: {
            ...bearer(alice),
            'Content-Type': 'multipart/form-data; boundary=x',
            'Content-Length': String(50 * 1024 * 1024),
          },
        });
        req.on('response', (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
          req.destroy();
        });
        req.on('error', reject);
        // Only the first bytes are ever sent: the answer must come without the rest.
        req.write('--x\r\nContent-Disposition: form-data; name="image"; filename="a.png"\r\n\r\n');
      });
      expect(status).toBe(413);
      await expectNothingStored(before);
    });

    it.each([
      [
        'an SVG',
        Buffer.from(
          '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>',
        ),
        'a.svg',
        'image/svg+xml',
      ],
      [
        'an SVG named .png',
        Buffer.from('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>'),
        'a.png',
        'image/png',
      ],
      [
        'HTML named photo.jpg',
        Buffer.from('<!doctype html><html><script>alert(document.cookie)</script></html>'),
        'photo.jpg',
        'image/jpeg',
      ],
    ])('%s → 415 UNSUPPORTED_IMAGE, audited', async (_name, data, filename, contentType) => {
      const before = await counts();
      const response = await upload(alice, bob.id, data, { filename, contentType }).expect(415);
      expect(response.body).toMatchObject({ statusCode: 415, code: 'UNSUPPORTED_IMAGE' });
      await expectNothingStored(before);
      expect((await auditRejections()).at(-1)).toMatchObject({ details: { reason: 'type' } });
    });

    it('a GIF header followed by HTML/JS (polyglot) → 415', async () => {
      const before = await counts();
      const gif = await solid(8, 8).gif().toBuffer();
      const polyglot = Buffer.concat([
        gif.subarray(0, 13),
        Buffer.from('<html><script>alert(1)</script></html>'),
      ]);
      await upload(alice, bob.id, polyglot, {
        filename: 'cat.gif',
        contentType: 'image/gif',
      }).expect(415);
      await expectNothingStored(before);
      expect((await auditRejections()).at(-1)).toMatchObject({ details: { reason: 'corrupt' } });
    });

    it('a JPEG with bytes of another format inside is refused when the decoder disagrees', async () => {
      // JPEG magic bytes, PNG body: the magic says one thing, the decoder another.
      const png = await solid(8, 8).png().toBuffer();
      const before = await counts();
      await upload(alice, bob.id, Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), png]), {
        filename: 'x.jpg',
        contentType: 'image/jpeg',
      }).expect(415);
      await expectNothingStored(before);
    });

    it('a truncated JPEG → 415', async () => {
      const jpeg = await solid(200, 200).jpeg().toBuffer();
      const before = await counts();
      const response = await upload(
        alice,
        bob.id,
        jpeg.subarray(0, Math.floor(jpeg.length * 0.6)),
        { filename: 'cut.jpg', contentType: 'image/jpeg' },
      );
      expect(response.status).toBe(415);
      await expectNothingStored(before);
    });

    it('a crafted PNG declaring 20000×20000 → 413, audited, never decoded', async () => {
      const before = await counts();
      const bomb = craftedPixelBomb();
      expect(bomb.length).toBeLessThan(200);
      const response = await upload(alice, bob.id, bomb, {
        filename: 'bomb.png',
        contentType: 'image/png',
      }).expect(413);
      expect(response.body.code).toBe('IMAGE_TOO_LARGE');
      await expectNothingStored(before);
      expect((await auditRejections()).at(-1)).toMatchObject({ details: { reason: 'dimensions' } });
    });

    it('a real, well-compressed 8000×7000 PNG (56 megapixels in a small file) → 413', async () => {
      const bomb = await sharp({
        create: { width: 8000, height: 7000, channels: 3, background: '#000' },
        limitInputPixels: false,
      })
        .png({ compressionLevel: 9 })
        .toBuffer();
      expect(bomb.length).toBeLessThan(IMAGE_MAX_BYTES);
      const before = await counts();
      await upload(alice, bob.id, bomb, { filename: 'bomb.png', contentType: 'image/png' }).expect(
        413,
      );
      await expectNothingStored(before);
    });

    it('to a non-contact → 404 NOT_A_CONTACT before anything is stored', async () => {
      const before = await counts();
      const auditBefore = (await auditRejections()).length;
      const good = await solid(50, 50).png().toBuffer();
      const response = await upload(alice, stranger.id, good).expect(404);
      expect(response.body.code).toBe('NOT_A_CONTACT');
      // Not even a hostile file is looked at for a stranger.
      await upload(alice, stranger.id, craftedPixelBomb()).expect(404);
      await upload(alice, alice.id, good).expect(404);
      await upload(alice, 'f'.repeat(24), good).expect(404);
      await expectNothingStored(before);
      expect(await auditRejections()).toHaveLength(auditBefore);
    });

    it('across a block → 403 BLOCKED, nothing stored', async () => {
      const [carol, dave] = await Promise.all([signup(t.url), signup(t.url)]);
      await makeContacts(carol, dave);
      await request(t.url)
        .post('/api/blocks')
        .set(bearer(dave))
        .send({ userId: carol.id })
        .expect((res) => expect(res.status).toBeLessThan(300));
      const before = await counts();
      const response = await upload(carol, dave.id, await solid(20, 20).png().toBuffer()).expect(
        403,
      );
      expect(response.body.code).toBe('BLOCKED');
      await upload(dave, carol.id, await solid(20, 20).png().toBuffer()).expect(403);
      await expectNothingStored(before);
    });

    it('malformed requests → 400: no file, empty file, bad ids, unknown fields, extra files', async () => {
      const before = await counts();
      const good = await solid(20, 20).png().toBuffer();
      const noFile = await request(t.url)
        .post('/api/messages/image')
        .set(bearer(alice))
        .field('recipientId', bob.id)
        .expect(400);
      expect(noFile.body.code).toBe('VALIDATION_FAILED');
      await request(t.url)
        .post('/api/messages/image')
        .set(bearer(alice))
        .send({ recipientId: bob.id })
        .expect(400);
      await upload(alice, bob.id, Buffer.alloc(0)).expect(400);
      await upload(alice, 'not-an-id', good).expect(400);
      await upload(alice, bob.id, good, {}, { clientId: 'bad id with spaces' }).expect(400);
      await upload(alice, bob.id, good, {}, { isAdmin: 'true' }).expect(400);
      await upload(alice, bob.id, good, {}, { clientId: 'abcdefgh1', extra: 'x' }).expect(400);
      await request(t.url)
        .post('/api/messages/image')
        .set(bearer(alice))
        .field('recipientId', bob.id)
        .attach('image', good, 'a.png')
        .attach('image', good, 'b.png')
        .expect(400);
      await request(t.url)
        .post('/api/messages/image')
        .set(bearer(alice))
        .field('recipientId', bob.id)
        .attach('avatar', good, 'a.png')
        .expect(400);
      await request(t.url)
        .post('/api/messages/image')
        .set(bearer(alice))
        .set('Content-Type', 'multipart/form-data; boundary=zzz')
        .send('--zzz\r\nbroken')
        .expect(400);
      await request(t.url)
        .post('/api/messages/image')
        .field('recipientId', bob.id)
        .attach('image', good, 'a.png')
        .expect(401);
      await expectNothingStored(before);
    });
  });

  it('removes EXIF (GPS) and applies the orientation', async () => {
    const marker = 'NATTER-SECRET-LOCATION';
    const input = await solid(120, 40, '#aa2200')
      .jpeg()
      .withMetadata({
        orientation: 6,
        exif: {
          IFD0: { Copyright: marker },
          IFD3: {
            GPSLatitudeRef: 'N',
            GPSLatitude: '51/1 30/1 2638/100',
            GPSLongitudeRef: 'W',
            GPSLongitude: '0/1 7/1 3954/100',
          },
        },
      })
      .toBuffer();
    // The GPS seconds as the TIFF rational sharp writes (little-endian numerator, denominator).
    const gpsSeconds = Buffer.alloc(8);
    gpsSeconds.writeUInt32LE(2638, 0);
    gpsSeconds.writeUInt32LE(100, 4);
    const inputMeta = await sharp(input).metadata();
    expect(inputMeta.exif).toBeDefined();
    expect(input.includes(Buffer.from(marker))).toBe(true);
    expect(input.includes(gpsSeconds)).toBe(true);
    expect(inputMeta.orientation).toBe(6);

    const response = await upload(alice, bob.id, input, {
      filename: 'holiday.jpg',
      contentType: 'image/jpeg',
    }).expect(201);
    const message = response.body.message as MessageInfo;
    expect([message.image!.width, message.image!.height]).toEqual([40, 120]);
    for (const path of [message.image!.url, message.image!.thumbnailUrl]) {
      const stored = (await download(path, bob).expect(200)).body as Buffer;
      const meta = await sharp(stored).metadata();
      expect(meta.exif).toBeUndefined();
      expect(meta.orientation).toBeUndefined();
      expect(stored.includes(Buffer.from(marker))).toBe(false);
      expect(stored.includes(Buffer.from('Exif\0'))).toBe(false);
      expect(stored.includes(gpsSeconds)).toBe(false);
    }
  });

  it('re-encoding drops anything appended to a valid image', async () => {
    const jpeg = await solid(30, 30).jpeg().toBuffer();
    const payload = '<html><script>alert(1)</script></html>';
    const response = await upload(alice, bob.id, Buffer.concat([jpeg, Buffer.from(payload)]), {
      filename: 'x.jpg',
      contentType: 'image/jpeg',
    });
    // The decoder stops at the JPEG's end marker; the re-encoded file carries only pixels.
    expect(response.status).toBe(201);
    const stored = (await download(response.body.message.image.url, bob).expect(200))
      .body as Buffer;
    expect(stored.includes(Buffer.from('<script'))).toBe(false);
  });

  it('is idempotent per clientId: a resend returns the stored message and stores no second image', async () => {
    const data = await solid(30, 30).png().toBuffer();
    const clientId = 'resend-client-id-0001';
    const first = await upload(alice, bob.id, data, {}, { clientId }).expect(201);
    const before = await counts();
    const second = await upload(alice, bob.id, data, {}, { clientId }).expect(201);
    expect(second.body.message).toEqual(first.body.message);
    expect(await counts()).toEqual(before);
    expect(first.body.message.clientId).toBe(clientId);
    // Without a clientId the server makes one, so two uploads are two messages.
    const a = await upload(alice, bob.id, data).expect(201);
    const b = await upload(alice, bob.id, data).expect(201);
    expect(a.body.message.clientId).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    expect(a.body.message.id).not.toBe(b.body.message.id);
  });

  it('is delivered live and sits in the conversation sequence between text messages', async () => {
    const [ann, ben] = await Promise.all([signup(t.url), signup(t.url)]);
    await makeContacts(ann, ben);
    const annSocket = await connectSocket(t.url, ann.accessToken);
    const benSocket = await connectSocket(t.url, ben.accessToken);
    sockets.push(annSocket, benSocket);
    const sendText = (text: string, clientId: string) =>
      new Promise<MessageInfo>((resolve, reject) =>
        annSocket.emit('send_private_message', { recipientId: ben.id, text, clientId }, (ack) =>
          ack.ok ? resolve(ack.message) : reject(new Error(ack.error.code)),
        ),
      );

    const first = await sendText('before the picture', 'text-before-0001');
    const live = nextEvent(benSocket, 'new_message');
    const uploaded = await upload(ann, ben.id, await solid(64, 64).webp().toBuffer()).expect(201);
    const image = uploaded.body.message as MessageInfo;
    expect((await live).message).toEqual(image);
    const last = await sendText('after the picture', 'text-after-0001');
    expect([first.seq, image.seq, last.seq]).toEqual([first.seq, first.seq + 1, first.seq + 2]);

    const history = await request(t.url)
      .get(`/api/conversations/${ann.id}/messages`)
      .set(bearer(ben))
      .expect(200);
    expect(history.body.messages.map((m: MessageInfo) => [m.seq, m.type])).toEqual([
      [first.seq, 'text'],
      [image.seq, 'image'],
      [last.seq, 'text'],
    ]);
    expect(history.body.messages[1]).toEqual(image);
    const catchUp = await request(t.url)
      .get(`/api/conversations/${ann.id}/messages?after=${first.seq}`)
      .set(bearer(ben))
      .expect(200);
    expect(catchUp.body.messages.map((m: MessageInfo) => m.id)).toEqual([image.id, last.id]);
  });

  it('an ex-contact loses access, and the conversation media is deleted', async () => {
    const [eve, finn] = await Promise.all([signup(t.url), signup(t.url)]);
    await makeContacts(eve, finn);
    const uploaded = await upload(eve, finn.id, await solid(40, 40).png().toBuffer()).expect(201);
    const image = (uploaded.body.message as MessageInfo).image!;
    await download(image.url, finn).expect(200);
    const doc = await t.db
      .collection('media')
      .findOne({ pairKey: [eve.id, finn.id].sort().join(':') });
    expect(doc).not.toBeNull();

    await request(t.url)
      .post('/api/contacts/remove')
      .set(bearer(finn))
      .send({ contactId: eve.id })
      .expect(200);
    for (const user of [eve, finn]) {
      for (const path of [image.url, image.thumbnailUrl]) {
        expect((await request(t.url).get(path).set(bearer(user)).expect(404)).body.code).toBe(
          'MEDIA_NOT_FOUND',
        );
      }
    }
    expect(await t.db.collection('media').countDocuments({ _id: doc!._id })).toBe(0);
    expect(
      await t.db
        .collection('media.files')
        .countDocuments({ _id: { $in: [doc!.fileId, doc!.thumbnailFileId] } }),
    ).toBe(0);
    expect(
      await t.db
        .collection('media.chunks')
        .countDocuments({ files_id: { $in: [doc!.fileId, doc!.thumbnailFileId] } }),
    ).toBe(0);

    // Becoming contacts again does not bring old images back.
    await makeContacts(eve, finn);
    await request(t.url).get(image.url).set(bearer(finn)).expect(404);
  });

  it('deleting an account deletes the media of its conversations', async () => {
    const [gus, hal] = await Promise.all([signup(t.url), signup(t.url)]);
    await makeContacts(gus, hal);
    await upload(gus, hal.id, await solid(40, 40).png().toBuffer()).expect(201);
    await upload(hal, gus.id, await solid(40, 40).jpeg().toBuffer()).expect(201);
    const docs = await t.db
      .collection('media')
      .find({ pairKey: [gus.id, hal.id].sort().join(':') })
      .toArray();
    expect(docs).toHaveLength(2);
    const fileIds = docs.flatMap((d) => [d.fileId, d.thumbnailFileId]);

    await request(t.url)
      .delete('/api/me')
      .set(bearer(gus))
      .send({ password: gus.password })
      .expect(204);
    expect(
      await t.db.collection('media').countDocuments({ _id: { $in: docs.map((d) => d._id) } }),
    ).toBe(0);
    expect(await t.db.collection('media.files').countDocuments({ _id: { $in: fileIds } })).toBe(0);
    expect(
      await t.db.collection('media.chunks').countDocuments({ files_id: { $in: fileIds } }),
    ).toBe(0);
  });
});

describe('upload rate limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ label: 'mediarate', env: { RATE_UPLOADS_LIMIT: '2' } });
  });
  afterAll(async () => {
    await dropDatabase(t);
    await t.close();
  });

  it('answers 429 past the per-user upload limit, counted per user', async () => {
    const [user, other] = await Promise.all([signup(t.url), signup(t.url)]);
    const attempt = (who: TestUser) =>
      request(t.url)
        .post('/api/messages/image')
        .set(bearer(who))
        .field('recipientId', 'f'.repeat(24))
        .attach('image', Buffer.from('x'), 'a.png');
    await attempt(user).expect(404);
    await attempt(user).expect(404);
    const limited = await attempt(user).expect(429);
    expect(limited.body.code).toBe('RATE_LIMITED');
    expect(limited.headers['retry-after']).toBeDefined();
    await attempt(other).expect(404);
    // Only uploads count against it: reading media is not limited by this bucket.
    await request(t.url)
      .get(`/api/media/${'a'.repeat(24)}`)
      .set(bearer(user))
      .expect(404);
  });
});
