import type { Socket } from 'socket.io';
import type { AuthUser } from '../../common/auth-user';
import type { AppConfig } from '../../config/app-config';
import { SocketEventGuard } from './socket-event-guard';
import type { SocketRateLimiter } from './socket-rate-limiter';

const user: AuthUser = {
  userId: '64b000000000000000000001',
  sessionId: 's1',
  username: 'alice',
  expiresAt: Math.floor(Date.now() / 1000) + 600,
};

const fakeSocket = (known: string[] = ['typing']) => {
  const socket = {
    data: { user } as Record<string, unknown>,
    disconnect: jest.fn(),
    listeners: (event: string) => (known.includes(event) ? [() => undefined] : []),
  };
  return socket as typeof socket & Socket;
};

describe('SocketEventGuard', () => {
  let allowed: boolean;
  let sut: SocketEventGuard;

  beforeEach(() => {
    allowed = true;
    const limiter = { consume: jest.fn(async () => allowed) } as unknown as SocketRateLimiter;
    const config = { rate: () => ({ limit: 5, windowMs: 10000 }) } as unknown as AppConfig;
    sut = new SocketEventGuard(limiter, config);
  });

  const screen = async (socket: Socket, packet: unknown[]) => {
    const ack = jest.fn();
    const passed = await sut.screen(socket, [...packet, ack]);
    return { ack, passed };
  };

  it('lets an ordinary event of a known handler through untouched', async () => {
    const { ack, passed } = await screen(fakeSocket(), [
      'typing',
      { contactId: 'c', isTyping: true },
    ]);
    expect(passed).toBe(true);
    expect(ack).not.toHaveBeenCalled();
  });

  it('answers unknown events instead of leaving their ack hanging', async () => {
    const { ack, passed } = await screen(fakeSocket(), ['no_such_event', {}]);
    expect(passed).toBe(false);
    expect(ack).toHaveBeenCalledWith({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'Unknown event' },
    });
  });

  it.each([2_500, 6_000])(
    'refuses a payload nested %i levels deep, known event or not, without echoing it',
    async (levels) => {
      let deep: unknown = true;
      for (let i = 0; i < levels; i++) deep = [deep];
      for (const event of ['typing', 'no_such_event']) {
        const { ack, passed } = await screen(fakeSocket(), [
          event,
          { contactId: 'c', isTyping: deep },
        ]);
        expect(passed).toBe(false);
        expect(ack.mock.calls[0][0]).toMatchObject({
          ok: false,
          error: { code: 'VALIDATION_FAILED' },
        });
        expect(JSON.stringify(ack.mock.calls[0][0]).length).toBeLessThan(200);
      }
    },
  );

  it('counts every event, unknown ones included, and cuts off a socket that keeps flooding (3× the limit)', async () => {
    const socket = fakeSocket();
    allowed = false;
    for (let i = 0; i < 9; i++) {
      const { ack } = await screen(socket, ['no_such_event']);
      expect(ack.mock.calls[0][0]).toMatchObject({ error: { code: 'RATE_LIMITED' } });
    }
    expect(socket.disconnect).not.toHaveBeenCalled();
    await screen(socket, ['no_such_event']);
    expect(socket.disconnect).toHaveBeenCalledWith(true);
  });

  it('never throws, even when the ack itself throws', async () => {
    const ack = () => {
      throw new Error('socket gone');
    };
    await expect(sut.screen(fakeSocket(), ['no_such_event', ack])).resolves.toBe(false);
  });

  it('lets packets through in arrival order even when the counter answers out of order', async () => {
    const answers: ((allowed: boolean) => void)[] = [];
    const limiter = {
      consume: () => new Promise<boolean>((resolve) => answers.push(resolve)),
    } as unknown as SocketRateLimiter;
    const config = { rate: () => ({ limit: 5, windowMs: 10000 }) } as unknown as AppConfig;
    const guard = new SocketEventGuard(limiter, config);
    let middleware: (packet: unknown[], next: () => void) => void = () => undefined;
    const socket = Object.assign(fakeSocket(), {
      use: (fn: typeof middleware) => (middleware = fn),
    });
    guard.attach(socket);
    const order: number[] = [];
    for (const n of [1, 2, 3]) middleware(['typing', { n }], () => order.push(n));
    answers[2](true);
    answers[1](true);
    await new Promise((resolve) => setImmediate(resolve));
    expect(order).toEqual([]);
    answers[0](true);
    await new Promise((resolve) => setImmediate(resolve));
    expect(order).toEqual([1, 2, 3]);
  });
});
