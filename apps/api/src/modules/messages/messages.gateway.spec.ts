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
  let messages: { typing: jest.Mock; send: jest.Mock };
  let sut: MessagesGateway;

  beforeEach(() => {
    messages = { typing: jest.fn().mockResolvedValue(undefined), send: jest.fn() };
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
    messages.send.mockResolvedValue({ id: 'm1' });
    await sut.onSend(socket, {
      recipientId: '64b000000000000000000002',
      text: 'hi',
      clientId: 'client-0001',
    });
    expect(messages.send).toHaveBeenCalledWith(
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
    messages.send.mockRejectedValue(new Error('secret text in an error'));
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
});
