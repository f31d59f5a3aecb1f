import type { HistoryResponse, MessageInfo } from '@natter/contracts/client';

/**
 * One conversation as the client holds it: stored messages ordered by seq, then local
 * (optimistic) ones in the order they were written. Every function here is pure so the
 * merge rules (dedupe by id and by clientId, catch-up ordering) are unit-tested.
 */

export type MessageStatus = 'pending' | 'failed' | 'sent';

export interface LocalUpload {
  file: File;
  /** blob: URL of the picked file, shown until the stored thumbnail has loaded. */
  previewUrl: string;
  width?: number;
  height?: number;
  /** 0..1 while uploading. */
  progress: number;
}

/**
 * A message as the pane holds it: the stored `MessageInfo`, except that a local
 * (optimistic) one has no id or seq yet, plus what only the client knows.
 */
export interface ChatMessage extends Omit<MessageInfo, 'id' | 'seq' | 'conversationId'> {
  /** Stable React key that survives the optimistic → stored swap. */
  key: string;
  id: string | null;
  seq: number | null;
  status: MessageStatus;
  error?: string;
  upload?: LocalUpload;
}

export interface ConversationState {
  messages: ChatMessage[];
  /** Older messages exist on the server before the oldest one held. */
  hasMore: boolean;
  /** Highest seq the contact has read (read receipts for my messages). */
  peerReadSeq: number;
  /** Where `changes` catches up from after a reconnect (see message-changes.ts). */
  cursor?: string;
}

export function emptyConversation(): ConversationState {
  return { messages: [], hasMore: false, peerReadSeq: 0 };
}

export function messageKey(senderId: string, clientId: string): string {
  return `${senderId}:${clientId}`;
}

export function fromStored(message: MessageInfo): ChatMessage {
  return {
    key: messageKey(message.senderId, message.clientId),
    id: message.id,
    seq: message.seq,
    senderId: message.senderId,
    recipientId: message.recipientId,
    type: message.type,
    text: message.text,
    image: message.image,
    clientId: message.clientId,
    createdAt: message.createdAt,
    status: 'sent',
    editedAt: message.editedAt,
    deletedAt: message.deletedAt,
    replyTo: message.replyTo,
    reactions: message.reactions ?? [],
  };
}

function compare(a: ChatMessage, b: ChatMessage): number {
  if (a.seq !== null && b.seq !== null) return a.seq - b.seq;
  if (a.seq !== null) return -1;
  if (b.seq !== null) return 1;
  return 0; // both local: Array.prototype.sort is stable, keep insertion order
}

/**
 * Merge stored messages (a history page, a catch-up page, an ack, a live event) into the
 * state. A message already held by id is kept once; a local message with the same
 * (sender, clientId) is replaced by the stored one (keeping its local preview so an
 * image does not flash while its thumbnail loads).
 */
export function mergeStored(
  state: ConversationState,
  incoming: readonly MessageInfo[],
): ConversationState {
  if (incoming.length === 0) return state;
  const byKey = new Map<string, ChatMessage>();
  const seqs = new Set<number>();
  for (const m of state.messages) {
    byKey.set(m.key, m);
    if (m.seq !== null) seqs.add(m.seq);
  }
  let changed = false;
  for (const raw of incoming) {
    const stored = fromStored(raw);
    const existing = byKey.get(stored.key);
    if (existing && existing.id !== null) continue; // duplicate event or overlapping page
    if (!existing && seqs.has(raw.seq)) continue; // same message seen under another key
    byKey.set(stored.key, existing?.upload ? { ...stored, upload: existing.upload } : stored);
    seqs.add(raw.seq);
    changed = true;
  }
  if (!changed) return state;
  return { ...state, messages: Array.from(byKey.values()).sort(compare) };
}

/** The contact's read position from a history page, so receipts survive a reload. */
function pagePeerReadSeq(page: HistoryResponse): number | null {
  return Number.isFinite(page.peerLastReadSeq) ? page.peerLastReadSeq : null;
}

/** A page of history: merged, and `hasMore` taken from it only when it reaches further back. */
export function mergePage(
  state: ConversationState,
  page: HistoryResponse,
  direction: 'older' | 'latest',
): ConversationState {
  const before = oldestSeq(state);
  const peerRead = pagePeerReadSeq(page);
  const withReceipt = peerRead !== null ? applyReadReceipt(state, peerRead) : state;
  const merged = mergeStored(withReceipt, page.messages);
  const pageOldest = page.messages.length ? page.messages[0].seq : null;
  let hasMore = merged.hasMore;
  if (direction === 'older') hasMore = page.hasMore;
  else if (before === null || (pageOldest !== null && pageOldest <= before)) hasMore = page.hasMore;
  return hasMore === merged.hasMore ? merged : { ...merged, hasMore };
}

export function addLocal(state: ConversationState, message: ChatMessage): ConversationState {
  if (state.messages.some((m) => m.key === message.key)) return state;
  return { ...state, messages: [...state.messages, message].sort(compare) };
}

/** Update a message that has not been stored yet (a late timeout must not touch a stored one). */
export function updateLocal(
  state: ConversationState,
  key: string,
  update: (m: ChatMessage) => ChatMessage,
): ConversationState {
  let changed = false;
  const messages = state.messages.map((m) => {
    if (m.key !== key || m.id !== null) return m;
    changed = true;
    return update(m);
  });
  return changed ? { ...state, messages } : state;
}

export function markFailed(
  state: ConversationState,
  key: string,
  error: string,
): ConversationState {
  return updateLocal(state, key, (m) => ({ ...m, status: 'failed', error }));
}

export function markPending(state: ConversationState, key: string): ConversationState {
  return updateLocal(state, key, (m) => ({ ...m, status: 'pending', error: undefined }));
}

export function removeLocal(state: ConversationState, key: string): ConversationState {
  const messages = state.messages.filter((m) => !(m.key === key && m.id === null));
  return messages.length === state.messages.length ? state : { ...state, messages };
}

export function applyReadReceipt(state: ConversationState, seq: number): ConversationState {
  return seq > state.peerReadSeq ? { ...state, peerReadSeq: seq } : state;
}

export function oldestSeq(state: ConversationState): number | null {
  for (const m of state.messages) if (m.seq !== null) return m.seq;
  return null;
}

export function latestSeq(state: ConversationState): number | null {
  for (let i = state.messages.length - 1; i >= 0; i--) {
    const seq = state.messages[i].seq;
    if (seq !== null) return seq;
  }
  return null;
}

/** The seq of the newest stored message from the contact (0 when none). */
export function latestIncomingSeq(state: ConversationState, myId: string): number {
  for (let i = state.messages.length - 1; i >= 0; i--) {
    const m = state.messages[i];
    if (m.seq !== null && m.senderId !== myId) return m.seq;
  }
  return 0;
}

/**
 * The highest seq held with no gap below it (back to the oldest one held). Catch-up asks
 * for `after=` this, so a live message that arrived before the catch-up (seq 16 while
 * 11–15 were missed) does not hide the gap.
 */
export function contiguousSeq(state: ConversationState): number | null {
  let last: number | null = null;
  for (const m of state.messages) {
    if (m.seq === null) break;
    if (last !== null && m.seq > last + 1) return last;
    last = m.seq;
  }
  return last;
}

/** My messages still waiting for a send (to be resent with the same clientId). */
export function pendingLocal(state: ConversationState, myId: string): ChatMessage[] {
  return state.messages.filter(
    (m) => m.id === null && m.senderId === myId && m.status === 'pending',
  );
}

export type DeliveryLabel = 'Sending…' | 'Not sent' | 'Sent' | 'Read';

export function deliveryLabel(message: ChatMessage, peerReadSeq: number): DeliveryLabel {
  if (message.status === 'pending') return 'Sending…';
  if (message.status === 'failed') return 'Not sent';
  return message.seq !== null && message.seq <= peerReadSeq ? 'Read' : 'Sent';
}
