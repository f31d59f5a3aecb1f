import type { QueryClient } from '@tanstack/react-query';
import { ErrorCode, type ReplyToInfo } from '@natter/contracts/client';
import { errorMessage } from '../../lib/errors';
import { newClientId } from '../../lib/ids';
import { queryKeys } from '../../lib/query-keys';
import { ACK_TIMEOUT_MS } from '../../lib/socket-client';
import { createStore } from '../../lib/store';
import { uploadImage } from '../../lib/upload';
import {
  applyStoredMessage,
  cachedConversationIds,
  updateConversation,
  type ChatDeps,
} from './chat-actions';
import {
  addLocal,
  markFailed,
  markPending,
  messageKey,
  pendingLocal,
  removeLocal,
  updateLocal,
  type ChatMessage,
  type ConversationState,
} from './conversation-state';

/**
 * Writing messages: the optimistic bubble, the socket send with its ack (and retries while
 * the server's database is briefly away), image uploads, retry, discard and the resend of
 * pending texts after a reconnect. Components reach it through useChatWrites.
 */

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

/** The optimistic bubble of a message being written (its clientId makes resends idempotent). */
export function showLocal(queryClient: QueryClient, contactId: string, message: ChatMessage): void {
  updateConversation(queryClient, contactId, (s) => addLocal(s, message));
}

export function textMessage(
  myId: string,
  contactId: string,
  text: string,
  replyTo?: ReplyToInfo,
): ChatMessage {
  return localMessage(myId, contactId, { type: 'text', text, replyTo });
}

export function sendText(
  deps: ChatDeps,
  contactId: string,
  text: string,
  replyTo?: ReplyToInfo,
): void {
  const message = textMessage(deps.myId, contactId, text, replyTo);
  showLocal(deps.queryClient, contactId, message);
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

export type ImageSize = { width?: number; height?: number };

export function imageMessage(
  myId: string,
  contactId: string,
  file: File,
  size: ImageSize = {},
  caption?: string,
  replyTo?: ReplyToInfo,
): ChatMessage {
  return localMessage(myId, contactId, {
    type: 'image',
    replyTo,
    ...(caption ? { text: caption } : {}),
    upload: { file, previewUrl: URL.createObjectURL(file), progress: 0, ...size },
  });
}

/** Writes a local message to the server: an image by upload, a text on the socket. */
export function writeMessage(deps: ChatDeps, contactId: string, message: ChatMessage): void {
  if (message.type === 'image') void runUpload(deps, contactId, message);
  else emitText(deps, contactId, message);
}

/**
 * A failed message, pending again, to write once more with the SAME clientId (the server
 * treats it as the same message); null when it is no longer there.
 */
export function markForRetry(
  queryClient: QueryClient,
  contactId: string,
  key: string,
): ChatMessage | null {
  const state = queryClient.getQueryData<ConversationState>(queryKeys.conversation(contactId));
  const message = state?.messages.find((m) => m.key === key && m.id === null);
  if (!message) return null;
  updateConversation(queryClient, contactId, (s) => markPending(s, key));
  const upload = message.upload ? { ...message.upload, progress: 0 } : undefined;
  return { ...message, upload, status: 'pending' };
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
