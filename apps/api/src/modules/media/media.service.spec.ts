import 'reflect-metadata';
import { HttpStatus } from '@nestjs/common';
import { ErrorCode, MessageInfo } from '@natter/contracts';
import sharp from 'sharp';
import { PassThrough } from 'node:stream';
import type { AuditService } from '../audit/audit.service';
import { ApiException } from '../../common/api-exception';
import { MessagingAccess, notAContact } from '../messages/messaging-access';
import type { MessagesService, SendInput } from '../messages/messages.service';
import type { MediaStorage } from './media-storage';
import type { MediaRecord, MediaRepository, NewMedia } from './media.repository';
import { MediaService } from './media.service';

const ALICE = 'a'.repeat(24);
const BOB = 'b'.repeat(24);
const STRANGER = 'c'.repeat(24);

class FakeStorage implements MediaStorage {
  readonly files = new Map<string, Buffer>();
  private next = 0;
  async put(data: Buffer): Promise<string> {
    const id = (++this.next).toString(16).padStart(24, 'f');
    this.files.set(id, data);
    return id;
  }
  get(fileId: string) {
    const stream = new PassThrough();
    stream.end(this.files.get(fileId));
    return stream;
  }
  async delete(fileId: string): Promise<void> {
    this.files.delete(fileId);
  }
}

class FakeRepository {
  readonly docs = new Map<string, MediaRecord>();
  private next = 0;
  async create(input: NewMedia): Promise<MediaRecord> {
    const id = (++this.next).toString(16).padStart(24, 'e');
    const { otherId, ...rest } = input;
    const record: MediaRecord = {
      ...rest,
      id,
      participants: [input.ownerId, otherId].sort() as [string, string],
      conversationId: null,
      createdAt: new Date(),
    };
    this.docs.set(id, record);
    return record;
  }
  async findForParticipant(id: string, userId: string) {
    const doc = this.docs.get(id);
    return doc && doc.participants.includes(userId) ? doc : null;
  }
  async setConversation(id: string, conversationId: string) {
    const doc = this.docs.get(id);
    if (doc) doc.conversationId = conversationId;
  }
  async findByConversation(conversationId: string, participantIds: string[]) {
    const key = [...participantIds].sort().join(':');
    return [...this.docs.values()].filter(
      (doc) => doc.conversationId === conversationId || doc.participants.join(':') === key,
    );
  }
  async findByParticipant(userId: string) {
    return [...this.docs.values()].filter((doc) => doc.participants.includes(userId));
  }
  async deleteByIds(ids: string[]) {
    ids.forEach((id) => this.docs.delete(id));
  }
}

describe('MediaService', () => {
  let storage: FakeStorage;
  let repository: FakeRepository;
  let contacts: Set<string>;
  let blocked: Set<string>;
  let sent: SendInput[];
  let sendImpl: (input: SendInput) => Promise<MessageInfo>;
  let audits: { type: string; details?: unknown }[];
  let sut: MediaService;

  const pair = (a: string, b: string) => [a, b].sort().join(':');
  const png = () =>
    sharp({ create: { width: 10, height: 10, channels: 3, background: '#fff' } })
      .png()
      .toBuffer();
  const messageFor = (input: SendInput): MessageInfo => ({
    id: 'm'.repeat(24),
    conversationId: 'd'.repeat(24),
    seq: 1,
    senderId: ALICE,
    recipientId: input.recipientId,
    type: 'image',
    clientId: input.clientId,
    reactions: [],
    createdAt: new Date().toISOString(),
    image:
      input.content.type === 'image'
        ? { id: input.content.image.mediaId, width: 10, height: 10, url: '', thumbnailUrl: '' }
        : undefined,
  });

  beforeEach(() => {
    storage = new FakeStorage();
    repository = new FakeRepository();
    contacts = new Set([pair(ALICE, BOB)]);
    blocked = new Set();
    sent = [];
    audits = [];
    sendImpl = async (input) => messageFor(input);
    sut = new MediaService(
      repository as unknown as MediaRepository,
      storage,
      {
        // The rules as MessagingAccess applies them (its own tests cover the caching).
        writable: async (a: string, b: string) => {
          if (blocked.has(pair(a, b)))
            throw new ApiException(HttpStatus.FORBIDDEN, ErrorCode.BLOCKED, 'blocked');
          if (a === b || !contacts.has(pair(a, b))) throw notAContact();
        },
        readable: async (a: string, b: string) => {
          if (a === b || !contacts.has(pair(a, b))) throw notAContact();
        },
      } as unknown as MessagingAccess,
      {
        send: async (_sender: string, input: SendInput) => {
          sent.push(input);
          return sendImpl(input);
        },
      } as unknown as MessagesService,
      {
        record: async (type: string, input: { details?: unknown }) =>
          void audits.push({ type, details: input.details }),
      } as unknown as AuditService,
    );
  });

  it('stores the image and thumbnail, sends an image message, and records the conversation', async () => {
    const message = await sut.upload({ userId: ALICE }, { recipientId: BOB, data: await png() });
    expect(storage.files.size).toBe(2);
    expect(sent[0]).toMatchObject({
      recipientId: BOB,
      content: { type: 'image', image: { width: 10, height: 10 } },
    });
    expect(sent[0].clientId).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    expect(repository.docs.get(message.image!.id)?.conversationId).toBe(message.conversationId);
  });

  it('refuses non-contacts and blocks before looking at or storing the bytes', async () => {
    await expect(
      sut.upload({ userId: ALICE }, { recipientId: STRANGER, data: Buffer.from('<svg/>') }),
    ).rejects.toMatchObject({ status: 404 });
    blocked.add(pair(ALICE, BOB));
    await expect(
      sut.upload({ userId: ALICE }, { recipientId: BOB, data: await png() }),
    ).rejects.toMatchObject({ status: 403 });
    await expect(
      sut.upload({ userId: ALICE }, { recipientId: ALICE, data: await png() }),
    ).rejects.toMatchObject({ status: 404 });
    expect(storage.files.size + repository.docs.size + sent.length + audits.length).toBe(0);
  });

  it('audits rejected content and stores nothing', async () => {
    await expect(
      sut.upload(
        { userId: ALICE, ip: '1.2.3.4' },
        { recipientId: BOB, data: Buffer.from('<html>') },
      ),
    ).rejects.toMatchObject({ status: 415 });
    expect(audits).toEqual([{ type: 'upload_rejected', details: { reason: 'type', bytes: 6 } }]);
    expect(storage.files.size + repository.docs.size).toBe(0);
  });

  it('removes what it stored when sending fails', async () => {
    sendImpl = async () => {
      throw new Error('contact removed meanwhile');
    };
    await expect(
      sut.upload({ userId: ALICE }, { recipientId: BOB, data: await png() }),
    ).rejects.toThrow('contact removed meanwhile');
    expect(storage.files.size + repository.docs.size).toBe(0);
  });

  it('removes the new copy when a resend returns the message stored earlier', async () => {
    const first = await sut.upload(
      { userId: ALICE },
      { recipientId: BOB, clientId: 'same-client-id', data: await png() },
    );
    sendImpl = async () => first;
    const again = await sut.upload(
      { userId: ALICE },
      { recipientId: BOB, clientId: 'same-client-id', data: await png() },
    );
    expect(again).toBe(first);
    expect([...repository.docs.keys()]).toEqual([first.image!.id]);
    expect(storage.files.size).toBe(2);
  });

  it('serves only participants who are still contacts', async () => {
    const message = await sut.upload({ userId: ALICE }, { recipientId: BOB, data: await png() });
    const id = message.image!.id;
    const download = await sut.download(BOB, id, 'thumbnail');
    expect(download).toMatchObject({
      contentType: 'image/webp',
      etag: expect.stringMatching(/^"[0-9a-f]{64}"$/),
    });
    await expect(sut.download(STRANGER, id, 'image')).rejects.toMatchObject({ status: 404 });
    contacts.clear();
    await expect(sut.download(BOB, id, 'image')).rejects.toMatchObject({ status: 404 });
    await expect(sut.download(ALICE, id, 'image')).rejects.toMatchObject({ status: 404 });
  });

  it('deletes a conversation’s media and a deleted account’s media, files included', async () => {
    contacts.add(pair(ALICE, STRANGER));
    await sut.upload({ userId: ALICE }, { recipientId: BOB, data: await png() });
    await sut.upload({ userId: ALICE }, { recipientId: STRANGER, data: await png() });
    await sut.onConversationDeleted({
      conversationId: 'x'.repeat(24),
      participantIds: [BOB, ALICE],
    });
    expect([...repository.docs.values()].map((doc) => doc.participants)).toEqual([
      [ALICE, STRANGER],
    ]);
    expect(storage.files.size).toBe(2);
    await sut.onAccountDeleting({ userId: STRANGER });
    expect(repository.docs.size + storage.files.size).toBe(0);
  });
});
