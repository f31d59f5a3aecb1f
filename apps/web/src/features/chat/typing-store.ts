import { useSyncExternalStore } from 'react';
import { TYPING_TIMEOUT_MS } from '@natter/contracts/client';

/** Who is typing to me right now; each "true" lasts TYPING_TIMEOUT_MS unless refreshed. */
const typing = new Map<string, ReturnType<typeof setTimeout>>();
const listeners = new Set<() => void>();

function emit() {
  for (const listener of listeners) listener();
}

export function setTyping(userId: string, isTyping: boolean): void {
  const existing = typing.get(userId);
  if (existing) clearTimeout(existing);
  if (isTyping) {
    typing.set(
      userId,
      setTimeout(() => {
        typing.delete(userId);
        emit();
      }, TYPING_TIMEOUT_MS),
    );
    if (!existing) emit();
  } else if (existing) {
    typing.delete(userId);
    emit();
  }
}

export function isTyping(userId: string): boolean {
  return typing.has(userId);
}

export function clearTyping(): void {
  for (const timer of typing.values()) clearTimeout(timer);
  typing.clear();
  emit();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useIsTyping(userId: string | undefined): boolean {
  return useSyncExternalStore(subscribe, () => (userId ? typing.has(userId) : false));
}
