import { useQueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import type { ReplyToInfo } from '@natter/contracts/client';
import { useApi, useCurrentUser } from '../../app/auth-context';
import { useConnection } from '../../app/socket-context';
import { discardMessage, retryMessage, sendImage, sendText, type ChatDeps } from './chat-actions';

/** Send / retry / discard bound to this tab's socket, cache and user. */
export function useChatActions() {
  const queryClient = useQueryClient();
  const api = useApi();
  const { socket } = useConnection();
  const me = useCurrentUser();
  return useMemo(() => {
    const deps: ChatDeps = { queryClient, api, socket, myId: me.id };
    return {
      sendText: (contactId: string, text: string, replyTo?: ReplyToInfo) =>
        sendText(deps, contactId, text, replyTo),
      sendImage: (
        contactId: string,
        file: File,
        size?: { width?: number; height?: number },
        caption?: string,
        replyTo?: ReplyToInfo,
      ) => sendImage(deps, contactId, file, size, caption, replyTo),
      retry: (contactId: string, key: string) => retryMessage(deps, contactId, key),
      discard: (contactId: string, key: string) => discardMessage(deps, contactId, key),
    };
  }, [queryClient, api, socket, me.id]);
}
