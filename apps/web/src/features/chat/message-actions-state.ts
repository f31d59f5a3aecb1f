import type { ChangesResponse, MessageInfo, ReactionInfo } from '@natter/contracts/client';
import {
  fromStored,
  mergeStored,
  oldestSeq,
  type ChatMessage,
  type ConversationState,
} from './conversation-state';

/**
 * Pure updates for message actions (edits, deletions, reactions, hides) and the `changes`
 * catch-up. A stored message is replaced whole by its newer state; the React key stays.
 */

/** Replaces held messages by their current state; messages not held are left out. */
export function applyUpdates(
  state: ConversationState,
  incoming: readonly MessageInfo[],
): ConversationState {
  if (incoming.length === 0) return state;
  const byId = new Map(incoming.map((m) => [m.id, m]));
  let changed = false;
  const messages = state.messages.map((m) => {
    const next = m.id !== null ? byId.get(m.id) : undefined;
    if (!next) return m;
    changed = true;
    return { ...fromStored(next), key: m.key, upload: m.upload };
  });
  return changed ? { ...state, messages } : state;
}

export function removeById(state: ConversationState, ids: readonly string[]): ConversationState {
  if (ids.length === 0) return state;
  const gone = new Set(ids);
  const messages = state.messages.filter((m) => m.id === null || !gone.has(m.id));
  return messages.length === state.messages.length ? state : { ...state, messages };
}

/** Puts back a message an optimistic removal took out (a refused "delete for me"). */
export function restore(state: ConversationState, message: ChatMessage): ConversationState {
  if (state.messages.some((m) => m.key === message.key)) return state;
  const messages = [...state.messages, message].sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0));
  return { ...state, messages };
}

export function patchMessage(
  state: ConversationState,
  id: string,
  update: (m: ChatMessage) => ChatMessage,
): ConversationState {
  let changed = false;
  const messages = state.messages.map((m) => {
    if (m.id !== id) return m;
    changed = true;
    return update(m);
  });
  return changed ? { ...state, messages } : state;
}

/** One user's reaction set (emoji) or cleared (null): at most one per user. */
export function withReaction(
  reactions: readonly ReactionInfo[],
  userId: string,
  emoji: string | null,
): ReactionInfo[] {
  const others = reactions.filter((r) => r.userId !== userId);
  return emoji === null ? others : [...others, { userId, emoji }];
}

/** What a message shows when deleted for everyone, before the server confirms it. */
export function asTombstone(m: ChatMessage, at = new Date().toISOString()): ChatMessage {
  return {
    ...m,
    text: undefined,
    image: undefined,
    replyTo: undefined,
    reactions: [],
    deletedAt: at,
  };
}

/**
 * A `changes` page: held messages take their new state, new ones newer than the oldest held are
 * merged in (older ones belong to pages not loaded yet), hidden ones go, the cursor moves on.
 */
export function applyChanges(state: ConversationState, page: ChangesResponse): ConversationState {
  const held = new Set(state.messages.map((m) => m.id));
  const oldest = oldestSeq(state);
  const fresh = page.messages.filter(
    (m) => !held.has(m.id) && (oldest === null || m.seq > oldest || !state.hasMore),
  );
  let next = applyUpdates(state, page.messages);
  next = mergeStored(next, fresh);
  next = removeById(next, page.hiddenIds);
  return next.cursor === page.cursor ? next : { ...next, cursor: page.cursor };
}

export interface ReactionCount {
  emoji: string;
  count: number;
  mine: boolean;
}

/** Reactions grouped by emoji, in the order each emoji first appeared. */
export function countReactions(reactions: readonly ReactionInfo[], myId: string): ReactionCount[] {
  const counts = new Map<string, ReactionCount>();
  for (const reaction of reactions) {
    const entry = counts.get(reaction.emoji) ?? { emoji: reaction.emoji, count: 0, mine: false };
    entry.count += 1;
    if (reaction.userId === myId) entry.mine = true;
    counts.set(reaction.emoji, entry);
  }
  return [...counts.values()];
}

/** My newest text message that may still be edited (Up arrow in an empty composer). */
export function lastEditable(
  state: ConversationState,
  myId: string,
  windowMs: number,
  now = Date.now(),
): ChatMessage | null {
  for (let i = state.messages.length - 1; i >= 0; i--) {
    const m = state.messages[i];
    if (m.senderId !== myId || m.id === null) continue;
    if (m.type === 'text' && !m.deletedAt && canEdit(m, myId, windowMs, now)) return m;
  }
  return null;
}

export function canEdit(m: ChatMessage, myId: string, windowMs: number, now = Date.now()): boolean {
  return (
    m.senderId === myId &&
    m.id !== null &&
    m.type === 'text' &&
    !m.deletedAt &&
    now - Date.parse(m.createdAt) < windowMs
  );
}

export function canDeleteForEveryone(
  m: ChatMessage,
  myId: string,
  windowMs: number,
  now = Date.now(),
): boolean {
  return (
    m.senderId === myId && m.id !== null && !m.deletedAt && now - Date.parse(m.createdAt) < windowMs
  );
}
