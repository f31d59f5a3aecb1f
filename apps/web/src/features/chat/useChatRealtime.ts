import { useQueryClient } from '@tanstack/react-query';
import type { ContactInfo } from '@natter/contracts/client';
import { useApi, useCurrentUser } from '../../app/auth-context';
import { useConnection, useOnConnect, useSocketEvent } from '../../app/socket-context';
import { queryKeys } from '../../lib/query-keys';
import { setUnreadCount } from '../contacts/contacts-cache';
import { getActiveConversation, isBeingRead } from './active-conversation';
import { announce } from './announcer';
import {
  applyStoredMessage,
  cachedConversationIds,
  catchUp,
  updateConversation,
} from './chat-actions';
import { applyReadReceipt, type ConversationState } from './conversation-state';
import { catchUpChanges } from './message-changes';
import { resendPending } from './sending';
import { setTyping } from './typing-store';

/** Messages, receipts, unread counts and typing from the socket into the cache. */
export function useChatRealtime(): void {
  const queryClient = useQueryClient();
  const api = useApi();
  const me = useCurrentUser();
  const { socket } = useConnection();

  useSocketEvent('new_message', ({ message }) => {
    const incoming = message.senderId !== me.id;
    if (incoming) {
      setTyping(message.senderId, false);
      const name =
        queryClient
          .getQueryData<ContactInfo[]>(queryKeys.contacts)
          ?.find((c) => c.id === message.senderId)?.username ?? 'Someone';
      const body = message.type === 'image' ? 'sent a photo' : `said: ${message.text ?? ''}`;
      announce(
        getActiveConversation().contactId === message.senderId
          ? `${name} ${body}`
          : `New message from ${name}`,
      );
    }
    applyStoredMessage(queryClient, message, me.id, {
      countUnread: incoming && !isBeingRead(message.senderId),
    });
  });

  useSocketEvent('message_sent', ({ message }) => {
    applyStoredMessage(queryClient, message, me.id, { countUnread: false });
  });

  useSocketEvent('message_read', ({ contactId, readerId, seq }) => {
    if (readerId === me.id) return; // my own read in another tab: unread_updated covers it
    updateConversation(queryClient, readerId || contactId, (s) => applyReadReceipt(s, seq));
  });

  useSocketEvent('unread_updated', ({ contactId, unreadCount }) => {
    queryClient.setQueryData<ContactInfo[]>(queryKeys.contacts, (l) =>
      setUnreadCount(l, contactId, unreadCount),
    );
  });

  useSocketEvent('typing', ({ userId, isTyping }) => {
    if (userId !== me.id) setTyping(userId, isTyping);
  });

  // Back online: fill every cached conversation's gap, then resend what is still pending.
  useOnConnect(() => {
    const deps = { queryClient, api, socket, myId: me.id };
    resendPending(deps);
    for (const contactId of cachedConversationIds(queryClient)) {
      // With a cursor, `changes` brings new messages and every edit, deletion and reaction.
      const held = queryClient.getQueryData<ConversationState>(queryKeys.conversation(contactId));
      (held?.cursor
        ? catchUpChanges(api, queryClient, contactId)
        : catchUp(api, queryClient, contactId)
      ).catch(() => undefined);
    }
  });
}
