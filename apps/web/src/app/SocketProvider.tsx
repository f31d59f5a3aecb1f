import { useEffect, useSyncExternalStore, type ReactNode } from 'react';
import type { SocketController } from '../lib/socket-controller';
import { useAuth } from './auth-context';
import { SocketContext } from './socket-context';

/** Connects the socket while signed in and disconnects it on sign-out. */
export function SocketProvider({
  controller,
  children,
}: {
  controller: SocketController;
  children: ReactNode;
}) {
  const { state } = useAuth();
  const userId = state.status === 'signedIn' ? state.user?.id : undefined;
  const snapshot = useSyncExternalStore(controller.subscribe, controller.getSnapshot);

  useEffect(() => {
    if (!userId) return;
    controller.start();
    return () => controller.stop();
  }, [controller, userId]);

  return <SocketContext.Provider value={snapshot}>{children}</SocketContext.Provider>;
}
