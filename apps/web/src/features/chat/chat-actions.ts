import type { QueryClient } from '@tanstack/react-query';
import {
  HISTORY_PAGE_DEFAULT,
  HISTORY_PAGE_MAX,
  type ContactInfo,
  type MessageInfo,
} from '@natter/contracts/client';
import type { ApiClient } from '../../lib/api-client';
import { queryKeys } from '../../lib/query-keys';
import { createStore } from '../../lib/store';
import type { AppSocket } from '../../lib/socket-client';
import { applyMessage, counterpartOf } from '../contacts/contacts-cache';
import {
  contiguousSeq,
  emptyConversation,
  mergePage,
  mergeStored,
  oldestSeq,
  type ConversationState,
} from './conversation-state';

/**
 * Reading conversations into the query cache: the latest page, older pages, catch-up after a
 * reconnect, and every stored message that reaches this tab. Writing is in sending.ts.
 */

export interface ChatDeps {
  queryClient: QueryClient;
  api: ApiClient;
  socket: AppSocket | null;
  myId: string;
}

type Updater = (state: ConversationState) => ConversationState;

export function updateConversation(
  queryClient: QueryClient,
  contactId: string,
  update: Updater,
): void {
  queryClient.setQueryData<ConversationState>(queryKeys.conversation(contactId), (state) =>
    state ? update(state) : state,
  );
}

const HISTORY = '/api/conversations/:contactId/messages';

/**
 * Live messages that arrive while a conversation's first page is loading would be lost
 * when that page lands; they wait here and are merged into it.
 */
const early = createStore(() => new Map<string, MessageInfo[]>(), { name: 'early-messages' });

function rememberEarly(contactId: string, message: MessageInfo): void {
  const list = early.get().get(contactId) ?? [];
  list.push(message);
  early.get().set(contactId, list.slice(-HISTORY_PAGE_DEFAULT));
}

/** queryFn of a conversation: the latest page, plus anything that arrived meanwhile. */
export async function fetchLatest(
  api: ApiClient,
  queryClient: QueryClient,
  contactId: string,
): Promise<ConversationState> {
  const page = await api.get(HISTORY, {
    params: { contactId },
    query: { limit: HISTORY_PAGE_DEFAULT },
  });
  const existing = queryClient.getQueryData<ConversationState>(queryKeys.conversation(contactId));
  let state = mergePage(existing ?? emptyConversation(), page, 'latest');
  // The first page's cursor is where changes catch up from; later pages never move it back.
  if (!state.cursor && page.cursor) state = { ...state, cursor: page.cursor };
  const arrived = early.get().get(contactId);
  early.get().delete(contactId);
  if (arrived) state = mergeStored(state, arrived);
  return state;
}

export async function loadOlder(
  api: ApiClient,
  queryClient: QueryClient,
  contactId: string,
): Promise<void> {
  const state = queryClient.getQueryData<ConversationState>(queryKeys.conversation(contactId));
  const before = state ? oldestSeq(state) : null;
  if (!state || before === null || !state.hasMore) return;
  const page = await api.get(HISTORY, {
    params: { contactId },
    query: { before, limit: HISTORY_PAGE_DEFAULT },
  });
  updateConversation(queryClient, contactId, (s) => mergePage(s, page, 'older'));
}

/**
 * After a reconnect: fetch what this conversation missed (`after=` the last seq held with no
 * gap before it), page by page, and merge without duplicates.
 */
export async function catchUp(
  api: ApiClient,
  queryClient: QueryClient,
  contactId: string,
): Promise<void> {
  const key = queryKeys.conversation(contactId);
  for (let round = 0; round < 50; round++) {
    const state = queryClient.getQueryData<ConversationState>(key);
    if (!state) return;
    const after = contiguousSeq(state);
    if (after === null) {
      const latest = await api.get(HISTORY, {
        params: { contactId },
        query: { limit: HISTORY_PAGE_DEFAULT },
      });
      updateConversation(queryClient, contactId, (s) => mergePage(s, latest, 'latest'));
      return;
    }
    const page = await api.get(HISTORY, {
      params: { contactId },
      query: { after, limit: HISTORY_PAGE_MAX },
    });
    updateConversation(queryClient, contactId, (s) => mergeStored(s, page.messages));
    const full = page.hasMore || page.messages.length >= HISTORY_PAGE_MAX;
    const next = queryClient.getQueryData<ConversationState>(key);
    if (!full || !next || contiguousSeq(next) === after) return;
  }
}

/** Every conversation held in the cache. */
export function cachedConversationIds(queryClient: QueryClient): string[] {
  return queryClient
    .getQueryCache()
    .findAll({ queryKey: queryKeys.conversationsAll })
    .filter((q) => q.state.data !== undefined)
    .map((q) => String(q.queryKey[1]));
}

/**
 * A stored message reached this tab (ack, upload response, new_message, message_sent): put it
 * in its conversation and in the contact's preview.
 */
export function applyStoredMessage(
  queryClient: QueryClient,
  message: MessageInfo,
  myId: string,
  options: { countUnread: boolean },
): void {
  const contactId = counterpartOf(message, myId);
  const key = queryKeys.conversation(contactId);
  if (queryClient.getQueryData(key) !== undefined) {
    updateConversation(queryClient, contactId, (s) => mergeStored(s, [message]));
  } else {
    rememberEarly(contactId, message);
  }
  queryClient.setQueryData<ContactInfo[]>(queryKeys.contacts, (contacts) =>
    applyMessage(contacts, message, myId, options),
  );
}
