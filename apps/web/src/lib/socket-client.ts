import type { ClientToServerEvents, ServerToClientEvents } from '@natter/contracts/client';
import { io, type Socket } from 'socket.io-client';

export type AppSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** How long an emitted message waits for its acknowledgement before it is marked failed. */
export const ACK_TIMEOUT_MS = 10_000;

/**
 * Same-origin Socket.IO client. The token is read at every (re)connection attempt, so a
 * refreshed token is used without rebuilding the socket. Websocket first, polling fallback.
 */
export function createAppSocket(getToken: () => string | null): AppSocket {
  return io({
    autoConnect: false,
    auth: (cb) => cb({ token: getToken() }),
    transports: ['websocket', 'polling'],
    reconnectionDelay: 1000,
    reconnectionDelayMax: 10_000,
  });
}
