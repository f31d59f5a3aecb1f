import { createContext, useContext, useEffect, useEffectEvent } from 'react';
import type { ServerToClientEvents } from '@natter/contracts/client';
import type { ConnectionSnapshot } from '../lib/socket-controller';

export const SocketContext = createContext<ConnectionSnapshot>({
  socket: null,
  status: 'idle',
  hasConnected: false,
});

export function useConnection(): ConnectionSnapshot {
  return useContext(SocketContext);
}

type Listener<E extends keyof ServerToClientEvents> = ServerToClientEvents[E];

/** Subscribe to a server event for the lifetime of the component; the handler may change freely. */
export function useSocketEvent<E extends keyof ServerToClientEvents>(
  event: E,
  handler: Listener<E>,
): void {
  const { socket } = useConnection();
  const onEvent = useEffectEvent((payload: Parameters<Listener<E>>[0]) => {
    (handler as (p: typeof payload) => void)(payload);
  });
  useEffect(() => {
    if (!socket) return;
    const listener = (payload: Parameters<Listener<E>>[0]) => onEvent(payload);
    // socket.io's generic listener types do not narrow through a type parameter.
    const s = socket as unknown as {
      on(e: string, l: (p: unknown) => void): void;
      off(e: string, l: (p: unknown) => void): void;
    };
    s.on(event, listener as (p: unknown) => void);
    return () => s.off(event, listener as (p: unknown) => void);
  }, [socket, event]);
}

/** Several processes may announce one Redis outage's end; one catch-up covers them all. */
export const RESYNC_COALESCE_MS = 1000;

/**
 * Runs on every successful (re)connection of the socket, and when the server says this tab
 * may have missed live events while the API processes could not reach each other (`resync`):
 * either way, what to do is catch up.
 */
export function useOnConnect(handler: () => void): void {
  const { socket } = useConnection();
  const onConnect = useEffectEvent(handler);
  useEffect(() => {
    if (!socket) return;
    const listener = () => onConnect();
    let resyncTimer: ReturnType<typeof setTimeout> | null = null;
    const onResync = () => {
      resyncTimer ??= setTimeout(() => {
        resyncTimer = null;
        onConnect();
      }, RESYNC_COALESCE_MS);
    };
    socket.on('connect', listener);
    socket.on('resync', onResync);
    return () => {
      socket.off('connect', listener);
      socket.off('resync', onResync);
      if (resyncTimer) clearTimeout(resyncTimer);
    };
  }, [socket]);
}
