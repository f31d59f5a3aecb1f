import { useQueryClient } from '@tanstack/react-query';
import type { SessionInfo } from '@natter/contracts/client';
import { useChatRealtime } from '../features/chat/useChatRealtime';
import { useContactSettingsRealtime } from '../features/contacts/useContactSettings';
import { useMessageActionsRealtime } from '../features/chat/useMessageActionsRealtime';
import { useSocialRealtime } from '../features/contacts/useSocialRealtime';
import { useDesktopNotifications } from '../features/notifications/useDesktopNotifications';
import { queryKeys } from '../lib/query-keys';
import { mayHaveSession } from '../lib/session-hint';
import { useAuth } from './auth-context';
import { useSocketEvent } from './socket-context';

function useSessionRealtime(): void {
  const { store, api } = useAuth();
  const queryClient = useQueryClient();
  useSocketEvent('session_revoked', ({ sessionId }) => {
    const known =
      store.currentSessionId() ??
      queryClient.getQueryData<SessionInfo[]>(queryKeys.sessions)?.find((s) => s.current)?.id ??
      null;
    if (known === sessionId) {
      // The flag is gone when another tab of this browser signed out: that is no news to tell.
      store.endSession(
        mayHaveSession()
          ? { notice: 'This session was signed out from another device.' }
          : { redirectTo: '/login' },
      );
      return;
    }
    void queryClient.invalidateQueries({ queryKey: queryKeys.sessions });
    // Unknown current session id: ask the server; a revoked session cannot refresh.
    if (known === null) void api.refresh().catch(() => undefined);
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
