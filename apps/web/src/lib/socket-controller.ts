import type { ApiClient } from './api-client';
import { watchNetwork } from './network-watch';
import { createAppSocket, type AppSocket } from './socket-client';

export type ConnectionStatus = 'idle' | 'connecting' | 'connected' | 'disconnected';

export interface ConnectionSnapshot {
  socket: AppSocket | null;
  status: ConnectionStatus;
  /** At least one successful connection since sign-in (so a drop is a "reconnect"). */
  hasConnected: boolean;
}

const IDLE: ConnectionSnapshot = { socket: null, status: 'idle', hasConnected: false };

export interface SocketControllerOptions {
  api: ApiClient;
  createSocket?: (getToken: () => string | null) => AppSocket;
}

/**
 * Owns the one Socket.IO connection of a signed-in tab: connects with the in-memory token,
 * refreshes it when the handshake says "unauthorized" or the server drops us, and backs off
 * between attempts. React reads it through useSyncExternalStore.
 */
export function createSocketController({
  api,
  createSocket = createAppSocket,
}: SocketControllerOptions) {
  let snapshot: ConnectionSnapshot = IDLE;
  let attempts = 0;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let stopWatchingNetwork: (() => void) | null = null;
  const listeners = new Set<() => void>();

  function set(next: Partial<ConnectionSnapshot>): void {
    snapshot = { ...snapshot, ...next };
    for (const listener of listeners) listener();
  }

  function clearRetry(): void {
    if (retryTimer) clearTimeout(retryTimer);
    retryTimer = null;
  }

  function backoff(): number {
    const delay = Math.min(30_000, 500 * 2 ** attempts);
    attempts += 1;
    return attempts === 1 ? 0 : delay;
  }

  /** Get a fresh token, then connect again; a refused refresh signs the tab out. */
  function reauthenticate(socket: AppSocket): void {
    clearRetry();
    retryTimer = setTimeout(() => {
      retryTimer = null;
      api.refresh().then(
        (token) => {
          if (token && snapshot.socket === socket) socket.connect();
        },
        () => {
          // Server unreachable or rate limited: try again later.
          if (snapshot.socket === socket) reauthenticate(socket);
        },
      );
    }, backoff());
  }

  function start(): void {
    if (snapshot.socket) return;
    attempts = 0;
    const socket = createSocket(() => api.getAccessToken());

    socket.on('connect', () => {
      attempts = 0;
      clearRetry();
      set({ status: 'connected', hasConnected: true });
    });

    socket.on('disconnect', (reason) => {
      if (snapshot.socket !== socket) return;
      set({ status: 'disconnected' });
      // The server closed us (expired token, revoked session): Socket.IO will not retry.
      if (reason === 'io server disconnect') reauthenticate(socket);
    });

    socket.on('connect_error', (error) => {
      if (snapshot.socket !== socket) return;
      set({ status: snapshot.hasConnected ? 'disconnected' : 'connecting' });
      if (socket.active) return; // a transport error: the manager retries by itself
      if (error.message === 'unauthorized') {
        reauthenticate(socket);
      } else {
        clearRetry();
        retryTimer = setTimeout(() => socket.connect(), Math.max(1000, backoff()));
      }
    });

    stopWatchingNetwork = watchNetwork(socket, {
      beforeReconnect: () => {
        clearRetry();
        attempts = 0;
      },
    });
    set({ socket, status: 'connecting', hasConnected: false });
    socket.connect();
  }

  function stop(): void {
    clearRetry();
    stopWatchingNetwork?.();
    stopWatchingNetwork = null;
    const socket = snapshot.socket;
    if (!socket) return;
    snapshot = IDLE;
    socket.removeAllListeners();
    socket.disconnect();
    for (const listener of listeners) listener();
  }

  return {
    start,
    stop,
    getSnapshot: (): ConnectionSnapshot => snapshot,
    subscribe(listener: () => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export type SocketController = ReturnType<typeof createSocketController>;
