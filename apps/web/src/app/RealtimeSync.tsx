import { useChatRealtime } from '../features/chat/useChatRealtime';
import { useContactSettingsRealtime } from '../features/contacts/useContactSettings';
import { useMessageActionsRealtime } from '../features/chat/useMessageActionsRealtime';
import { useSocialRealtime } from '../features/contacts/useSocialRealtime';
import { useDesktopNotifications } from '../features/notifications/useDesktopNotifications';
import { mayHaveSession } from '../lib/session-hint';
import { useAuth } from './auth-context';
import { useSocketEvent } from './socket-context';

/**
 * The server sends `session_revoked` only to the sockets of the session it revoked (its
 * room), so hearing it means this tab's session is over.
 */
function useSessionRealtime(): void {
  const { store } = useAuth();
  useSocketEvent('session_revoked', () => {
    // The flag is gone when another tab of this browser signed out: that is no news to tell.
    store.endSession(
      mayHaveSession()
        ? { notice: 'This session was signed out from another device.' }
        : { redirectTo: '/login' },
    );
  });
}

/** Socket → cache wiring for a signed-in user (mounted once, under the auth guard). */
export function RealtimeSync() {
  useSessionRealtime();
  useSocialRealtime();
  useChatRealtime();
  useContactSettingsRealtime();
  useDesktopNotifications();
  useMessageActionsRealtime();
  return null;
}
