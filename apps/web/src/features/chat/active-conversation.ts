import { useEffect, useSyncExternalStore } from 'react';
import { createStore } from '../../lib/store';

/**
 * Which conversation is on screen and whether its newest message is visible, plus whether
 * the window has the user's attention. Socket handlers (outside React) read it to decide
 * if an incoming message is unread.
 */
export interface ActiveConversation {
  contactId: string | null;
  atBottom: boolean;
}

const active = createStore<ActiveConversation>(() => ({ contactId: null, atBottom: true }), {
  name: 'active-conversation',
});

export function getActiveConversation(): ActiveConversation {
  return active.get();
}

export function setActiveConversation(next: ActiveConversation): void {
  const current = active.get();
  if (next.contactId === current.contactId && next.atBottom === current.atBottom) return;
  active.set(next);
}

export function clearActiveConversation(contactId: string): void {
  if (active.get().contactId === contactId)
    setActiveConversation({ contactId: null, atBottom: true });
}

/** The pane of `contactId` is on screen (with its newest message visible or not). */
export function useShowConversation(contactId: string, atBottom: boolean): void {
  useEffect(() => {
    setActiveConversation({ contactId, atBottom });
  }, [contactId, atBottom]);
  useEffect(() => () => clearActiveConversation(contactId), [contactId]);
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
  const current = active.get();
  return current.contactId === contactId && current.atBottom && isWindowAttentive();
}
