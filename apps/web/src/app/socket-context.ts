import { createContext, useContext, useEffect, useEffectEvent } from 'react';
import type { ServerToClientEvents } from '@natter/contracts';
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

/** Runs on every successful (re)connection of the socket. */
export function useOnConnect(handler: () => void): void {
  const { socket } = useConnection();
  const onConnect = useEffectEvent(handler);
  useEffect(() => {
    if (!socket) return;
    const listener = () => onConnect();
    socket.on('connect', listener);
    return () => {
      socket.off('connect', listener);
    };
  }, [socket]);
}
