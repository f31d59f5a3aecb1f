import type { QueryClient } from '@tanstack/react-query';
import {
  ErrorCode,
  HISTORY_PAGE_DEFAULT,
  HISTORY_PAGE_MAX,
  type ContactInfo,
  type MessageInfo,
  type ReplyToInfo,
} from '@natter/contracts/client';
import type { ApiClient } from '../../lib/api-client';
import { errorMessage } from '../../lib/errors';
import { newClientId } from '../../lib/ids';
import { queryKeys } from '../../lib/query-keys';
import { createStore } from '../../lib/store';
import { ACK_TIMEOUT_MS, type AppSocket } from '../../lib/socket-client';
import { uploadImage } from '../../lib/upload';
import { applyMessage, counterpartOf } from '../contacts/contacts-cache';
import {
  addLocal,
  contiguousSeq,
  emptyConversation,
  markFailed,
  markPending,
  mergePage,
  mergeStored,
  messageKey,
  oldestSeq,
  pendingLocal,
  removeLocal,
  updateLocal,
  type ChatMessage,
  type ConversationState,
} from './conversation-state';

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

function localMessage(
  myId: string,
  contactId: string,
  fields: Partial<ChatMessage> & Pick<ChatMessage, 'type'>,
): ChatMessage {
  const clientId = newClientId();
  return {
    key: messageKey(myId, clientId),
    id: null,
    seq: null,
    senderId: myId,
    recipientId: contactId,
    clientId,
    createdAt: new Date().toISOString(),
    status: 'pending',
    reactions: [],
    ...fields,
  };
}

/** A send refused because the server's database is briefly unreachable is retried this often. */
export const SEND_RETRIES = 3;
export const SEND_RETRY_DELAY_MS = 3000;
const isRetryable = (code: ErrorCode) => code === ErrorCode.SERVICE_UNAVAILABLE;

/** Emit a text message; the ack (or its absence after 10 s) settles the optimistic bubble. */
export function emitText(
  deps: ChatDeps,
  contactId: string,
  message: ChatMessage,
  attempt = 0,
): void {
  const { socket, queryClient, myId } = deps;
  // Offline: the bubble stays pending and is resent (same clientId) when the socket is back.
  if (!socket || !socket.connected || message.text === undefined) return;
  socket.timeout(ACK_TIMEOUT_MS).emit(
    'send_private_message',
    {
      recipientId: contactId,
      text: message.text,
      clientId: message.clientId,
      ...(message.replyTo ? { replyToId: message.replyTo.id } : {}),
    },
    (err, response) => {
      if (err) {
        updateConversation(queryClient, contactId, (s) =>
          markFailed(s, message.key, 'No answer from the server'),
        );
      } else if (response.ok) {
        applyStoredMessage(queryClient, response.message, myId, { countUnread: false });
      } else if (isRetryable(response.error.code) && attempt < SEND_RETRIES) {
        // Nothing was stored; the same clientId makes the retry the same message.
        setTimeout(() => emitText(deps, contactId, message, attempt + 1), SEND_RETRY_DELAY_MS);
      } else {
        updateConversation(queryClient, contactId, (s) =>
          markFailed(s, message.key, response.error.message),
        );
      }
    },
  );
}

export function sendText(
  deps: ChatDeps,
  contactId: string,
  text: string,
  replyTo?: ReplyToInfo,
): void {
  const message = localMessage(deps.myId, contactId, { type: 'text', text, replyTo });
  updateConversation(deps.queryClient, contactId, (s) => addLocal(s, message));
  emitText(deps, contactId, message);
}

/** Uploads in flight, by message key; sign-out cancels them. */
const uploads = createStore(() => new Map<string, AbortController>(), {
  name: 'uploads',
  dispose: (controllers) => {
    for (const controller of controllers.values()) controller.abort();
  },
});

async function runUpload(deps: ChatDeps, contactId: string, message: ChatMessage): Promise<void> {
  const { queryClient, api, myId } = deps;
  const upload = message.upload;
  if (!upload) return;
  uploads.get().get(message.key)?.abort();
  const controller = new AbortController();
  uploads.get().set(message.key, controller);
  let lastReported = 0;
  try {
    const stored = await uploadImage(api, {
      file: upload.file,
      recipientId: contactId,
      clientId: message.clientId,
      caption: message.text,
      replyToId: message.replyTo?.id,
      signal: controller.signal,
      onProgress: (fraction) => {
        // Repaint at most every 2 %.
        if (Math.abs(fraction - lastReported) < 0.02 && fraction < 1) return;
        lastReported = fraction;
        updateConversation(queryClient, contactId, (s) =>
          updateLocal(s, message.key, (m) =>
            m.upload ? { ...m, upload: { ...m.upload, progress: fraction } } : m,
          ),
        );
      },
    });
    applyStoredMessage(queryClient, stored, myId, { countUnread: false });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') return;
    updateConversation(queryClient, contactId, (s) =>
      markFailed(s, message.key, errorMessage(error)),
    );
  } finally {
    if (uploads.get().get(message.key) === controller) uploads.get().delete(message.key);
  }
}

export function sendImage(
  deps: ChatDeps,
  contactId: string,
  file: File,
  size: { width?: number; height?: number } = {},
  caption?: string,
  replyTo?: ReplyToInfo,
): void {
  const message = localMessage(deps.myId, contactId, {
    type: 'image',
    replyTo,
    ...(caption ? { text: caption } : {}),
    upload: { file, previewUrl: URL.createObjectURL(file), progress: 0, ...size },
  });
  updateConversation(deps.queryClient, contactId, (s) => addLocal(s, message));
  void runUpload(deps, contactId, message);
}

/** Retry a failed message with the SAME clientId (the server treats it as the same message). */
export function retryMessage(deps: ChatDeps, contactId: string, key: string): void {
  const state = deps.queryClient.getQueryData<ConversationState>(queryKeys.conversation(contactId));
  const message = state?.messages.find((m) => m.key === key && m.id === null);
  if (!message) return;
  updateConversation(deps.queryClient, contactId, (s) => markPending(s, key));
  if (message.type === 'image') {
    const upload = message.upload ? { ...message.upload, progress: 0 } : undefined;
    void runUpload(deps, contactId, { ...message, upload, status: 'pending' });
  } else {
    emitText(deps, contactId, { ...message, status: 'pending' });
  }
}

/** Drop a message that never got stored (its preview URL too). */
export function discardMessage(deps: ChatDeps, contactId: string, key: string): void {
  uploads.get().get(key)?.abort();
  const state = deps.queryClient.getQueryData<ConversationState>(queryKeys.conversation(contactId));
  const message = state?.messages.find((m) => m.key === key && m.id === null);
  if (message?.upload) URL.revokeObjectURL(message.upload.previewUrl);
  updateConversation(deps.queryClient, contactId, (s) => removeLocal(s, key));
}

/** After (re)connecting: resend every text still pending, in every cached conversation. */
export function resendPending(deps: ChatDeps): void {
  for (const contactId of cachedConversationIds(deps.queryClient)) {
    const state = deps.queryClient.getQueryData<ConversationState>(
      queryKeys.conversation(contactId),
    );
    if (!state) continue;
    for (const message of pendingLocal(state, deps.myId)) {
      if (message.type === 'text') emitText(deps, contactId, message);
    }
  }
}
