import type { AppSocket } from './socket-client';

/**
 * Follows the browser's own idea of the network. Going offline drops the connection at once
 * (instead of waiting for a ping timeout) so the UI stops claiming presence it cannot know;
 * coming back online reconnects immediately, skipping whatever backoff delay was pending.
 * Returns the function that stops watching.
 */
export function watchNetwork(
  socket: AppSocket,
  hooks: { beforeReconnect: () => void },
): () => void {
  if (typeof window === 'undefined') return () => undefined;
  const onOffline = () => {
    // Closing the transport lets Socket.IO's own reconnection take over (and fail until online).
    if (socket.connected) socket.io.engine?.close();
  };
  const onOnline = () => {
    if (socket.connected) return;
    hooks.beforeReconnect();
    // A manager waiting out its backoff ignores connect(): reset it, then connect now.
    socket.disconnect();
    socket.connect();
  };
  window.addEventListener('offline', onOffline);
  window.addEventListener('online', onOnline);
  return () => {
    window.removeEventListener('offline', onOffline);
    window.removeEventListener('online', onOnline);
  };
}
