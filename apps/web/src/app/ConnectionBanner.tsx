import { useEffect, useState } from 'react';
import { useConnection } from './socket-context';

const FIRST_CONNECT_GRACE_MS = 2500;

/** "Reconnecting…" while the socket is down (and "Connecting…" if the first connect is slow). */
export function ConnectionBanner() {
  const { status, hasConnected } = useConnection();
  const [slowFirstConnect, setSlowFirstConnect] = useState(false);
  const waitingFirst = !hasConnected && status !== 'connected' && status !== 'idle';

  useEffect(() => {
    if (!waitingFirst) return;
    const timer = setTimeout(() => setSlowFirstConnect(true), FIRST_CONNECT_GRACE_MS);
    return () => clearTimeout(timer);
  }, [waitingFirst]);

  const reconnecting = hasConnected && status !== 'connected' && status !== 'idle';
  const text = reconnecting
    ? 'Reconnecting…'
    : waitingFirst && slowFirstConnect
      ? 'Connecting…'
      : null;

  return (
    <div className="connection-region" role="status" aria-live="polite">
      {text && (
        <div className="connection-banner" data-testid="reconnecting-banner">
          <span className="spinner spinner-small" aria-hidden="true" />
          {text}
        </div>
      )}
    </div>
  );
}
