import type { Socket } from 'socket.io';
import type { AuthUser } from '../../common/auth-user';
import { SocketEventHandler } from '../gateway/socket-event-handler';
import { MessagesGateway } from './messages.gateway';
import type { MessagesService } from './messages.service';

const user = (expiresInSeconds: number): AuthUser => ({
  userId: '64b000000000000000000001',
  sessionId: 's1',
  username: 'alice',
  expiresAt: Math.floor(Date.now() / 1000) + expiresInSeconds,
});

const fakeSocket = (authUser: AuthUser) => {
  const socket = {
    id: 'sock1',
    data: { user: authUser } as Record<string, unknown>,
    disconnect: jest.fn(),
    emit: jest.fn(),
  };
  return socket as typeof socket & Socket;
};

const payload = { contactId: '64b000000000000000000002', isTyping: true };

describe('MessagesGateway', () => {
  let messages: { typing: jest.Mock; admit: jest.Mock };
  let sut: MessagesGateway;

  beforeEach(() => {
    messages = { typing: jest.fn().mockResolvedValue(undefined), admit: jest.fn() };
    sut = new MessagesGateway(messages as unknown as MessagesService, new SocketEventHandler());
  });

  it('refuses events on a socket whose token has expired, and disconnects it', async () => {
    const socket = fakeSocket(user(-1));
    expect(await sut.onTyping(socket, payload)).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHORIZED' },
    });
    expect(socket.disconnect).toHaveBeenCalledWith(true);
    expect(messages.typing).not.toHaveBeenCalled();
  });

  it('answers a payload nested thousands of levels deep with a clean error, without echoing it', async () => {
    let isTyping: unknown = true;
    for (let i = 0; i < 6000; i++) isTyping = [isTyping];
    const ack = await sut.onTyping(fakeSocket(user(600)), {
      contactId: payload.contactId,
      isTyping,
    });
    expect(ack).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect(JSON.stringify(ack).length).toBeLessThan(200);
    expect(messages.typing).not.toHaveBeenCalled();
  });

  it('answers a database outage with the retryable SERVICE_UNAVAILABLE', async () => {
    messages.typing.mockRejectedValue(
      Object.assign(new Error('connection refused'), { name: 'MongoServerSelectionError' }),
    );
    expect(await sut.onTyping(fakeSocket(user(600)), payload)).toMatchObject({
      ok: false,
      error: { code: 'SERVICE_UNAVAILABLE' },
    });
  });

  it('acts as the socket’s user, never as an id in the payload', async () => {
    const socket = fakeSocket(user(600));
    messages.admit.mockResolvedValue({ stored: Promise.resolve({ id: 'm1' }) });
    await sut.onSend(socket, {
      recipientId: '64b000000000000000000002',
      text: 'hi',
      clientId: 'client-0001',
    });
    expect(messages.admit).toHaveBeenCalledWith(
      '64b000000000000000000001',
      {
        recipientId: '64b000000000000000000002',
        clientId: 'client-0001',
        content: { type: 'text', text: 'hi' },
      },
      'sock1',
    );
  });

  it('maps unexpected failures to INTERNAL without leaking details', async () => {
    const socket = fakeSocket(user(600));
    messages.admit.mockResolvedValue({
      stored: Promise.reject(new Error('secret text in an error')),
    });
    const ack = await sut.onSend(socket, {
      recipientId: '64b000000000000000000002',
      text: 'hi',
      clientId: 'client-0001',
    });
    expect(ack).toEqual({
      ok: false,
      error: { code: 'INTERNAL', message: 'Something went wrong' },
    });
  });

  it('admits one socket’s sends in emission order, one at a time, even when an admission is slow', async () => {
    const socket = fakeSocket(user(600));
    const admitted: string[] = [];
    let openFirst: () => void = () => undefined;
    messages.admit.mockImplementation(async (_user: string, input: { clientId: string }) => {
      admitted.push(input.clientId);
      // The first admission (e.g. a cold relationship check) is the slowest.
      if (input.clientId === 'client-0001') await new Promise<void>((r) => (openFirst = r));
      return { stored: Promise.resolve({ id: input.clientId }) };
    });
    const acks = ['client-0001', 'client-0002', 'client-0003'].map((clientId) =>
      sut.onSend(socket, { recipientId: '64b000000000000000000002', text: 'hi', clientId }),
    );
    await new Promise((r) => setTimeout(r, 20));
    // Nothing overtakes the first send while it is being admitted.
    expect(admitted).toEqual(['client-0001']);
    openFirst();
    await Promise.all(acks);
    expect(admitted).toEqual(['client-0001', 'client-0002', 'client-0003']);
  });

  it('a send refused before admission (invalid payload) does not hold up the next one', async () => {
    const socket = fakeSocket(user(600));
    messages.admit.mockResolvedValue({ stored: Promise.resolve({ id: 'm1' }) });
    const body = { recipientId: '64b000000000000000000002', text: 'hi', clientId: 'client-0001' };
    expect(await sut.onSend(socket, { ...body, text: 42 })).toMatchObject({ ok: false });
    expect(await sut.onSend(socket, { ...body, clientId: 'client-0002' })).toMatchObject({
      ok: true,
    });
  });
});
