import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef } from 'react';
import type { ContactInfo, ReplyToInfo } from '@natter/contracts/client';
import { useApi, useCurrentUser } from '../../app/auth-context';
import { useConnection } from '../../app/socket-context';
import { queryKeys } from '../../lib/query-keys';
import { setUnreadCount } from '../contacts/contacts-cache';
import type { ChatDeps } from './chat-actions';
import {
  latestIncomingSeq,
  latestSeq,
  type ChatMessage,
  type ConversationState,
} from './conversation-state';
import {
  discardMessage,
  imageMessage,
  markForRetry,
  showLocal,
  textMessage,
  writeMessage,
  type ImageSize,
} from './sending';

/**
 * Every write of the chat to the server goes through this file: components call these hooks
 * and never emit on the socket themselves.
 */

/** Throttle for "typing: true" and the idle time after which "typing: false" is sent. */
export const TYPING_THROTTLE_MS = 2000;
export const TYPING_IDLE_MS = 3000;

/**
 * Send / retry / discard bound to this tab's socket, cache and user. The bubble shows at
 * once; then each write is a mutation in one scope, so writes go out in the order they were
 * made. A write only starts (the ack or the upload settles the bubble in the conversation's
 * cache), so none waits for the one before it. `networkMode: 'always'`: offline, a text
 * stays pending in the conversation and goes out on reconnect (chat-actions.resendPending).
 */
export function useChatActions() {
  const queryClient = useQueryClient();
  const api = useApi();
  const { socket } = useConnection();
  const me = useCurrentUser();
  const deps: ChatDeps = useMemo(
    () => ({ queryClient, api, socket, myId: me.id }),
    [queryClient, api, socket, me.id],
  );
  const { mutate: write } = useMutation({
    mutationKey: ['chat', 'send'],
    scope: { id: 'chat-send' },
    networkMode: 'always',
    mutationFn: async ({ contactId, message }: { contactId: string; message: ChatMessage }) =>
      writeMessage(deps, contactId, message),
  });
  return useMemo(() => {
    const send = (contactId: string, message: ChatMessage) => {
      showLocal(queryClient, contactId, message);
      write({ contactId, message });
    };
    return {
      sendText: (contactId: string, text: string, replyTo?: ReplyToInfo) =>
        send(contactId, textMessage(me.id, contactId, text, replyTo)),
      sendImage: (
        contactId: string,
        file: File,
        size?: ImageSize,
        caption?: string,
        replyTo?: ReplyToInfo,
      ) => send(contactId, imageMessage(me.id, contactId, file, size, caption, replyTo)),
      retry: (contactId: string, key: string) => {
        const message = markForRetry(queryClient, contactId, key);
        if (message) write({ contactId, message });
      },
      discard: (contactId: string, key: string) => discardMessage(deps, contactId, key),
    };
  }, [write, deps, queryClient, me.id]);
}

/**
 * Marks the conversation read up to its newest message when that message is on screen and the
 * window has attention; the contact's unread badge clears at once.
 */
export function useMarkRead(
  contact: ContactInfo,
  state: ConversationState | undefined,
  seen: boolean,
): void {
  const contactId = contact.id;
  const me = useCurrentUser();
  const latest = state ? latestSeq(state) : null;
  const latestIncoming = state ? latestIncomingSeq(state, me.id) : 0;
  const unread = contact.unreadCount;
  const queryClient = useQueryClient();
  const { socket, status } = useConnection();
  const markedSeq = useRef(0);
  const { mutate } = useMutation({
    mutationKey: ['chat', 'mark-read'],
    networkMode: 'always',
    onMutate: () => {
      queryClient.setQueryData<ContactInfo[]>(queryKeys.contacts, (l) =>
        setUnreadCount(l, contactId, 0),
      );
    },
    mutationFn: ({ seq }: { seq: number }) =>
      new Promise<void>((resolve, reject) => {
        if (!socket) return reject(new Error('not connected'));
        socket.emit('mark_read', { contactId, seq }, (response) =>
          response.ok ? resolve() : reject(new Error(response.error.message)),
        );
      }),
    onError: (_error, { seq }) => {
      if (markedSeq.current === seq) markedSeq.current = 0;
    },
  });

  useEffect(() => {
    if (!socket || status !== 'connected' || latest === null || !seen) return;
    if (latestIncoming <= markedSeq.current && unread === 0) return;
    markedSeq.current = latest;
    mutate({ seq: latest });
  }, [socket, status, latest, latestIncoming, unread, seen, mutate]);
}

/**
 * "typing" events while the user types to a contact: true at most every TYPING_THROTTLE_MS,
 * false after TYPING_IDLE_MS without a keystroke, on send (`stop`) and on leaving.
 */
export function useTypingSignal(contactId: string) {
  const { socket } = useConnection();
  const sentAt = useRef(0);
  const active = useRef(false);
  const idleTimer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const stop = useCallback(() => {
    if (idleTimer.current) clearTimeout(idleTimer.current);
    idleTimer.current = null;
    if (active.current) socket?.emit('typing', { contactId, isTyping: false });
    active.current = false;
    sentAt.current = 0;
  }, [socket, contactId]);

  // Leaving the conversation (or the page) ends "typing".
  useEffect(() => {
    return () => {
      if (idleTimer.current) clearTimeout(idleTimer.current);
      if (active.current) socket?.emit('typing', { contactId, isTyping: false });
      active.current = false;
    };
  }, [socket, contactId]);

  const note = useCallback(
    (value: string) => {
      if (!value.trim()) {
        stop();
        return;
      }
      const now = Date.now();
      if (now - sentAt.current >= TYPING_THROTTLE_MS && socket?.connected) {
        socket.emit('typing', { contactId, isTyping: true });
        sentAt.current = now;
        active.current = true;
      }
      if (idleTimer.current) clearTimeout(idleTimer.current);
      idleTimer.current = setTimeout(stop, TYPING_IDLE_MS);
    },
    [socket, contactId, stop],
  );

  return { note, stop };
}
