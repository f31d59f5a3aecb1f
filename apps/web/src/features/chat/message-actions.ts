import type { QueryClient } from '@tanstack/react-query';
import type {
  ContactInfo,
  DeleteScope,
  MessageInfo,
  MessageResponse,
} from '@natter/contracts/client';
import type { ApiClient } from '../../lib/api-client';
import { errorMessage } from '../../lib/errors';
import { queryKeys } from '../../lib/query-keys';
import { applyPreviewUpdate } from '../contacts/preview-updates';
import { updateConversation } from './chat-actions';
import type { ChatMessage } from './conversation-state';
import {
  applyUpdates,
  asTombstone,
  patchMessage,
  removeById,
  restore,
  withReaction,
} from './message-actions-state';

export interface ActionDeps {
  queryClient: QueryClient;
  api: ApiClient;
  myId: string;
  /** Tells the person an action was refused (its optimistic effect is rolled back). */
  notify: (message: string) => void;
}

/** A message's new state from the server (response or message_updated) into pane and preview. */
export function applyMessageUpdate(
  queryClient: QueryClient,
  contactId: string,
  message: MessageInfo,
): void {
  updateConversation(queryClient, contactId, (s) => applyUpdates(s, [message]));
  queryClient.setQueryData<ContactInfo[]>(queryKeys.contacts, (contacts) =>
    applyPreviewUpdate(contacts, contactId, message),
  );
  // An unread message deleted for everyone stops counting; the server knows how many remain.
  const contact = queryClient
    .getQueryData<ContactInfo[]>(queryKeys.contacts)
    ?.find((c) => c.id === contactId);
  if (message.deletedAt && message.senderId === contactId && (contact?.unreadCount ?? 0) > 0)
    void queryClient.invalidateQueries({ queryKey: queryKeys.contacts });
}

/**
 * Shows `optimistic` at once, then asks the server; its answer replaces it, a refusal puts
 * the message back as it was and says why.
 */
async function optimistically(
  deps: ActionDeps,
  contactId: string,
  message: ChatMessage,
  optimistic: (m: ChatMessage) => ChatMessage,
  call: () => Promise<MessageResponse | void>,
  refusedAs: string,
): Promise<void> {
  const id = message.id;
  if (id === null) return;
  updateConversation(deps.queryClient, contactId, (s) => patchMessage(s, id, optimistic));
  try {
    const response = await call();
    if (response?.message) applyMessageUpdate(deps.queryClient, contactId, response.message);
  } catch (error) {
    updateConversation(deps.queryClient, contactId, (s) => patchMessage(s, id, () => message));
    deps.notify(`${refusedAs}: ${errorMessage(error)}`);
  }
}

export function editMessage(
  deps: ActionDeps,
  contactId: string,
  message: ChatMessage,
  text: string,
): Promise<void> {
  if (message.id === null || text === message.text) return Promise.resolve();
  const id = message.id;
  return optimistically(
    deps,
    contactId,
    message,
    (m) => ({ ...m, text, editedAt: new Date().toISOString() }),
    () => deps.api.patch('/api/messages/:id', { params: { id }, json: { text } }),
    'Could not edit the message',
  );
}

export function reactToMessage(
  deps: ActionDeps,
  contactId: string,
  message: ChatMessage,
  emoji: string | null,
): Promise<void> {
  if (message.id === null) return Promise.resolve();
  const params = { id: message.id };
  return optimistically(
    deps,
    contactId,
    message,
    (m) => ({ ...m, reactions: withReaction(m.reactions, deps.myId, emoji) }),
    () =>
      emoji === null
        ? deps.api.del('/api/messages/:id/reaction', { params })
        : deps.api.put('/api/messages/:id/reaction', { params, json: { emoji } }),
    'Could not react',
  );
}

export async function deleteMessage(
  deps: ActionDeps,
  contactId: string,
  message: ChatMessage,
  scope: DeleteScope,
): Promise<void> {
  if (message.id === null) return;
  const id = message.id;
  const call = () => deps.api.del('/api/messages/:id', { params: { id }, query: { for: scope } });
  if (scope === 'everyone') {
    return optimistically(
      deps,
      contactId,
      message,
      (m) => asTombstone(m),
      call,
      'Could not delete',
    );
  }
  updateConversation(deps.queryClient, contactId, (s) => removeById(s, [id]));
  try {
    await call();
    hideFromPreview(deps.queryClient, contactId, message.seq);
  } catch (error) {
    updateConversation(deps.queryClient, contactId, (s) => restore(s, message));
    deps.notify(`Could not delete: ${errorMessage(error)}`);
  }
}

/** A hidden message that was the contact's preview: the server knows what shows now. */
export function hideFromPreview(queryClient: QueryClient, contactId: string, seq: number | null) {
  const contact = queryClient
    .getQueryData<ContactInfo[]>(queryKeys.contacts)
    ?.find((c) => c.id === contactId);
  if (contact?.lastMessage && seq !== null && contact.lastMessage.seq <= seq)
    void queryClient.invalidateQueries({ queryKey: queryKeys.contacts });
}
