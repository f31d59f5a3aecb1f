import { useSyncExternalStore } from 'react';

/**
 * Which conversation is on screen and whether its newest message is visible, plus whether
 * the window has the user's attention. Socket handlers (outside React) read it to decide
 * if an incoming message is unread.
 */
export interface ActiveConversation {
  contactId: string | null;
  atBottom: boolean;
}

let active: ActiveConversation = { contactId: null, atBottom: true };
const listeners = new Set<() => void>();

function emit() {
  for (const listener of listeners) listener();
}

export function getActiveConversation(): ActiveConversation {
  return active;
}

export function setActiveConversation(next: ActiveConversation): void {
  if (next.contactId === active.contactId && next.atBottom === active.atBottom) return;
  active = next;
  emit();
}

export function clearActiveConversation(contactId: string): void {
  if (active.contactId === contactId) setActiveConversation({ contactId: null, atBottom: true });
}

export function subscribeActiveConversation(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useActiveConversation(): ActiveConversation {
  return useSyncExternalStore(subscribeActiveConversation, getActiveConversation);
}

/** The page is visible and focused: a message shown now counts as seen. */
export function isWindowAttentive(): boolean {
  if (typeof document === 'undefined') return false;
  return document.visibilityState === 'visible' && document.hasFocus();
}

function subscribeAttention(listener: () => void): () => void {
  window.addEventListener('focus', listener);
  window.addEventListener('blur', listener);
  document.addEventListener('visibilitychange', listener);
  return () => {
    window.removeEventListener('focus', listener);
    window.removeEventListener('blur', listener);
    document.removeEventListener('visibilitychange', listener);
  };
}

export function useWindowAttentive(): boolean {
  return useSyncExternalStore(subscribeAttention, isWindowAttentive, () => false);
}

/** An incoming message in this conversation is being looked at right now. */
export function isBeingRead(contactId: string): boolean {
  return active.contactId === contactId && active.atBottom && isWindowAttentive();
}
