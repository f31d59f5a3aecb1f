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
  let messages: { typing: jest.Mock; admit: jest.Mock };
  let consume: jest.Mock;
  let sut: MessagesGateway;

  beforeEach(() => {
    allowed = true;
    messages = { typing: jest.fn().mockResolvedValue(undefined), admit: jest.fn() };
    consume = jest.fn(async () => allowed);
    const limiter = { consume } as unknown as SocketRateLimiter;
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

  it('admits one socket’s sends in emission order even when their rate-limit checks finish out of order', async () => {
    const socket = fakeSocket(user(600));
    const admitted: string[] = [];
    messages.admit.mockImplementation(async (_user: string, input: { clientId: string }) => {
      admitted.push(input.clientId);
      return { stored: Promise.resolve({ id: input.clientId }) };
    });
    // The first event's limiter answer arrives last.
    const gates: (() => void)[] = [];
    consume.mockImplementation(
      () => new Promise<boolean>((resolve) => gates.push(() => resolve(true))),
    );
    const acks = ['client-0001', 'client-0002', 'client-0003'].map((clientId) =>
      sut.onSend(socket, { recipientId: '64b000000000000000000002', text: 'hi', clientId }),
    );
    await Promise.resolve();
    [...gates].reverse().forEach((open) => open());
    await Promise.all(acks);
    expect(admitted).toEqual(['client-0001', 'client-0002', 'client-0003']);
  });

  it('a send refused before admission (rate limit) does not hold up the next one', async () => {
    const socket = fakeSocket(user(600));
    messages.admit.mockResolvedValue({ stored: Promise.resolve({ id: 'm1' }) });
    consume.mockResolvedValueOnce(false);
    const body = { recipientId: '64b000000000000000000002', text: 'hi', clientId: 'client-0001' };
    expect(await sut.onSend(socket, body)).toMatchObject({ ok: false });
    expect(await sut.onSend(socket, { ...body, clientId: 'client-0002' })).toMatchObject({
      ok: true,
    });
  });
});
