import type { Socket } from 'socket.io';
import type { AuthUser } from '../../common/auth-user';
import type { AppConfig } from '../../config/app-config';
import type { SocketRateLimiter } from '../gateway/socket-rate-limiter';
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
  let allowed: boolean;
  let messages: { typing: jest.Mock; send: jest.Mock };
  let sut: MessagesGateway;

  beforeEach(() => {
    allowed = true;
    messages = { typing: jest.fn().mockResolvedValue(undefined), send: jest.fn() };
    const limiter = { consume: jest.fn(async () => allowed) } as unknown as SocketRateLimiter;
    const config = { rate: () => ({ limit: 5, windowMs: 10000 }) } as unknown as AppConfig;
    sut = new MessagesGateway(messages as unknown as MessagesService, limiter, config);
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

  it('answers RATE_LIMITED over the limit and cuts off a socket that keeps flooding (3× the limit)', async () => {
    const socket = fakeSocket(user(600));
    expect(await sut.onTyping(socket, payload)).toEqual({ ok: true });
    allowed = false;
    for (let i = 0; i < 9; i++) {
      expect(await sut.onTyping(socket, payload)).toMatchObject({
        ok: false,
        error: { code: 'RATE_LIMITED' },
      });
    }
    expect(socket.disconnect).not.toHaveBeenCalled();
    await sut.onTyping(socket, payload);
    expect(socket.disconnect).toHaveBeenCalledWith(true);
    expect(messages.typing).toHaveBeenCalledTimes(1);
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
