import type { QueryClient } from '@tanstack/react-query';
import { ErrorCode, HISTORY_PAGE_DEFAULT, type ChangesResponse } from '@natter/contracts/client';
import type { ApiClient } from '../../lib/api-client';
import { HttpError } from '../../lib/errors';
import { queryKeys } from '../../lib/query-keys';
import { updateConversation } from './chat-actions';
import {
  addLocal,
  emptyConversation,
  mergePage,
  type ConversationState,
} from './conversation-state';
import { applyChanges } from './message-actions-state';

const MAX_PAGES = 50;

/**
 * After a reconnect: everything created, edited, deleted, reacted to or hidden since the
 * conversation's cursor, page by page, applied in place (no history reload). A cursor the
 * server can no longer serve (410) reloads the newest page instead, keeping unsent messages.
 */
export async function catchUpChanges(
  api: ApiClient,
  queryClient: QueryClient,
  contactId: string,
): Promise<void> {
  const key = queryKeys.conversation(contactId);
  const params = { contactId };
  for (let page = 0; page < MAX_PAGES; page++) {
    const cursor = queryClient.getQueryData<ConversationState>(key)?.cursor;
    if (!cursor) return;
    let changes: ChangesResponse;
    try {
      changes = await api.get('/api/conversations/:contactId/changes', {
        params,
        query: { since: cursor },
      });
    } catch (error) {
      if (!(error instanceof HttpError && error.code === ErrorCode.CURSOR_EXPIRED)) throw error;
      const latest = await api.get('/api/conversations/:contactId/messages', {
        params,
        query: { limit: HISTORY_PAGE_DEFAULT },
      });
      updateConversation(queryClient, contactId, (s) => {
        let fresh: ConversationState = { ...mergePage(emptyConversation(), latest, 'latest') };
        fresh = { ...fresh, cursor: latest.cursor };
        for (const local of s.messages.filter((m) => m.id === null)) fresh = addLocal(fresh, local);
        return fresh;
      });
      return;
    }
    updateConversation(queryClient, contactId, (s) => applyChanges(s, changes));
    if (!changes.hasMore) return;
  }
}
