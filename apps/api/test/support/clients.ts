import type { AuthResponse, ClientToServerEvents, ServerToClientEvents } from '@natter/contracts';
import { randomBytes } from 'node:crypto';
import { io, Socket } from 'socket.io-client';
import request from 'supertest';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface TestUser {
  id: string;
  username: string;
  password: string;
  accessToken: string;
  /** The raw `natter_refresh=...` cookie pair. */
  refreshCookie: string;
}

export const uniqueName = (prefix = 'u') =>
  `${prefix}${randomBytes(5).toString('hex')}`.slice(0, 20);

export function refreshCookieFrom(response: request.Response): string {
  const cookies = ([] as string[]).concat(response.headers['set-cookie'] ?? []);
  const cookie = cookies.find((value) => value.startsWith('natter_refresh='));
  if (!cookie) throw new Error('no refresh cookie set');
  return cookie.split(';')[0];
}

/** Signs up a fresh user through the real API. */
export async function signup(
  url: string,
  username = uniqueName(),
  password = 'correct horse battery',
): Promise<TestUser> {
  const response = await request(url).post('/api/signup').send({ username, password }).expect(201);
  const body = response.body as AuthResponse;
  return {
    id: body.user.id,
    username,
    password,
    accessToken: body.accessToken,
    refreshCookie: refreshCookieFrom(response),
  };
}

export const bearer = (user: { accessToken: string }) => ({
  Authorization: `Bearer ${user.accessToken}`,
});

/** Connects a socket (websocket transport) and resolves once connected; rejects on connect_error. */
export function connectSocket(
  url: string,
  token: string | undefined,
  extra: { origin?: string } = {},
): Promise<ClientSocket> {
  const socket: ClientSocket = io(url, {
    auth: token === undefined ? {} : { token },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    extraHeaders: extra.origin ? { Origin: extra.origin } : undefined,
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
  });
}

/** Resolves with the next payload of `event`, or rejects after `timeoutMs`. */
export function nextEvent<E extends keyof ServerToClientEvents>(
  socket: ClientSocket,
  event: E,
  timeoutMs = 5000,
): Promise<Parameters<ServerToClientEvents[E]>[0]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`timed out waiting for ${String(event)}`)),
      timeoutMs,
    );
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    (socket as any).once(event, (payload: any) => {
      clearTimeout(timer);
      resolve(payload);
    });
  });
}

/** Collects every payload of `event` from now on. */
export function collect<E extends keyof ServerToClientEvents>(
  socket: ClientSocket,
  event: E,
): Parameters<ServerToClientEvents[E]>[0][] {
  const seen: Parameters<ServerToClientEvents[E]>[0][] = [];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  (socket as any).on(event, (payload: any) => seen.push(payload));
  return seen;
}

/** Resolves when the socket disconnects, or rejects after `timeoutMs`. */
export function waitForDisconnect(socket: ClientSocket, timeoutMs = 3000): Promise<string> {
  if (socket.disconnected) return Promise.resolve('already disconnected');
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('socket was not disconnected')), timeoutMs);
    socket.once('disconnect', (reason) => {
      clearTimeout(timer);
      resolve(reason);
    });
  });
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Sockets a suite opens, to close them all in afterAll: `const sockets = socketsOf();`, then
 * `await sockets.connect(app.url, user)` and `sockets.closeAll()`.
 */
export function socketsOf() {
  const open: ClientSocket[] = [];
  return {
    async connect(url: string, user: TestUser): Promise<ClientSocket> {
      const socket = await connectSocket(url, user.accessToken);
      open.push(socket);
      return socket;
    },
    closeAll(): void {
      open.forEach((socket) => socket.close());
      open.length = 0;
    },
  };
}
