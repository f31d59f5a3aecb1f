import { useQueryClient } from '@tanstack/react-query';
import { useCurrentUser } from '../../app/auth-context';
import { useSocketEvent } from '../../app/socket-context';
import { queryKeys } from '../../lib/query-keys';
import { counterpartOf } from '../contacts/contacts-cache';
import { updateConversation } from './chat-actions';
import type { ConversationState } from './conversation-state';
import { applyMessageUpdate, hideFromPreview } from './message-actions';
import { removeById } from './message-actions-state';

/** Edits, deletions and reactions (message_updated) and my hides (message_hidden) into the cache. */
export function useMessageActionsRealtime(): void {
  const queryClient = useQueryClient();
  const me = useCurrentUser();

  useSocketEvent('message_updated', ({ message }) => {
    applyMessageUpdate(queryClient, counterpartOf(message, me.id), message);
  });

  useSocketEvent('message_hidden', ({ contactId, messageId }) => {
    const held = queryClient
      .getQueryData<ConversationState>(queryKeys.conversation(contactId))
      ?.messages.find((m) => m.id === messageId);
    updateConversation(queryClient, contactId, (s) => removeById(s, [messageId]));
    hideFromPreview(queryClient, contactId, held?.seq ?? Number.MAX_SAFE_INTEGER);
  });
}
