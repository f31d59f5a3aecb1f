import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useMemo, useState } from 'react';
import { MESSAGE_EDIT_WINDOW_DEFAULT_SECONDS, type ReplyToInfo } from '@natter/contracts/client';
import { useApi, useCurrentUser } from '../../app/auth-context';
import { queryKeys } from '../../lib/query-keys';
import { useToast } from '../../ui/toast-context';
import { loadOlder } from './chat-actions';
import type { ChatMessage, ConversationState } from './conversation-state';
import { deleteMessage, editMessage, reactToMessage, type ActionDeps } from './message-actions';
import type { MessageActionsApi } from './message-actions-context';
import { lastEditable } from './message-actions-state';
import { ComposerBanner, toReplyTo } from './ReplyPreview';

const EDIT_WINDOW_MS = MESSAGE_EDIT_WINDOW_DEFAULT_SECONDS * 1000;
/** How many older pages a jump to a quoted message may load before giving up. */
const MAX_JUMP_PAGES = 40;

function findMessageNode(messageId: string): HTMLElement | null {
  return document.querySelector<HTMLElement>(`[data-message-id="${CSS.escape(messageId)}"]`);
}

const nextFrame = () => new Promise((resolve) => requestAnimationFrame(() => resolve(null)));

/**
 * The conversation's side of message actions: the API bubbles call (context value) and what
 * the composer shows while replying to or editing a message.
 */
export function useConversationActions(contactId: string, contactName: string) {
  const queryClient = useQueryClient();
  const api = useApi();
  const me = useCurrentUser();
  const toast = useToast();
  const [replyTo, setReplyTo] = useState<ReplyToInfo | null>(null);
  const [editing, setEditing] = useState<ChatMessage | null>(null);

  const deps: ActionDeps = useMemo(
    () => ({ queryClient, api, myId: me.id, notify: (text) => toast.show(text, 'error') }),
    [queryClient, api, me.id, toast],
  );

  const current = useCallback(
    () => queryClient.getQueryData<ConversationState>(queryKeys.conversation(contactId)),
    [queryClient, contactId],
  );

  const jumpTo = useCallback(
    async (messageId: string) => {
      let node = findMessageNode(messageId);
      for (let page = 0; !node && page < MAX_JUMP_PAGES; page++) {
        if (!current()?.hasMore) break;
        await loadOlder(api, queryClient, contactId);
        await nextFrame();
        node = findMessageNode(messageId);
      }
      if (!node) {
        toast.show('The original message is no longer here', 'info');
        return;
      }
      node.scrollIntoView({ block: 'center' });
      node.focus({ preventScroll: true });
      node.classList.add('message-highlight');
      setTimeout(() => node?.classList.remove('message-highlight'), 1600);
    },
    [api, queryClient, contactId, current, toast],
  );

  const startEdit = useCallback((message: ChatMessage) => {
    setReplyTo(null);
    setEditing(message);
  }, []);

  const context: MessageActionsApi = useMemo(
    () => ({
      myId: me.id,
      contactName,
      reply: (message) => {
        setEditing(null);
        setReplyTo(toReplyTo(message));
        document.querySelector<HTMLTextAreaElement>('[data-testid="composer-input"]')?.focus();
      },
      startEdit,
      react: (message, emoji) => void reactToMessage(deps, contactId, message, emoji),
      copy: (message) => {
        if (!message.text) return;
        navigator.clipboard
          ?.writeText(message.text)
          .then(() => toast.show('Copied', 'success'))
          .catch(() => toast.show('Could not copy the text', 'error'));
      },
      deleteForMe: (message) => void deleteMessage(deps, contactId, message, 'me'),
      deleteForEveryone: (message) => deleteMessage(deps, contactId, message, 'everyone'),
      jumpTo: (id) => void jumpTo(id),
    }),
    [me.id, contactName, startEdit, deps, contactId, toast, jumpTo],
  );

  const cancel = useCallback(() => {
    setReplyTo(null);
    setEditing(null);
  }, []);

  const editingReply = editing ? toReplyTo(editing) : null;
  const composer = {
    banner: editingReply ? (
      <ComposerBanner mode="edit" reply={editingReply} authorName="You" onCancel={cancel} />
    ) : replyTo ? (
      <ComposerBanner
        mode="reply"
        reply={replyTo}
        authorName={replyTo.senderId === me.id ? 'yourself' : contactName}
        onCancel={cancel}
      />
    ) : null,
    prefill: editing ? { key: editing.key, text: editing.text ?? '' } : null,
    submitLabel: editing ? 'Save' : 'Send',
    onEscape: replyTo || editing ? cancel : undefined,
    onEmptyArrowUp: () => {
      const state = current();
      const last = state ? lastEditable(state, me.id, EDIT_WINDOW_MS) : null;
      if (last) startEdit(last);
    },
  };

  /** Sends (with the reply being composed) or saves the edit; returns true when it did. */
  const submitText = (text: string, send: (text: string, replyTo?: ReplyToInfo) => void) => {
    if (editing) {
      const latest = current()?.messages.find((m) => m.id === editing.id) ?? editing;
      void editMessage(deps, contactId, latest, text);
    } else {
      send(text, replyTo ?? undefined);
    }
    cancel();
  };

  return { context, composer, replyTo, submitText, clearReply: cancel };
}
