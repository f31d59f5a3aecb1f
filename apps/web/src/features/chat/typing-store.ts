import { TYPING_TIMEOUT_MS } from '@natter/contracts/client';
import { createStore, useStore } from '../../lib/store';

/** Who is typing to me right now; each "true" lasts TYPING_TIMEOUT_MS unless refreshed. */
const typing = createStore(() => new Map<string, ReturnType<typeof setTimeout>>(), {
  name: 'typing',
  dispose: (timers) => {
    for (const timer of timers.values()) clearTimeout(timer);
  },
});

export function setTyping(userId: string, isTyping: boolean): void {
  const timers = typing.get();
  const existing = timers.get(userId);
  if (existing) clearTimeout(existing);
  if (isTyping) {
    timers.set(
      userId,
      setTimeout(() => {
        typing.get().delete(userId);
        typing.changed();
      }, TYPING_TIMEOUT_MS),
    );
    if (!existing) typing.changed();
  } else if (existing) {
    timers.delete(userId);
    typing.changed();
  }
}

export function isTyping(userId: string): boolean {
  return typing.get().has(userId);
}

export function clearTyping(): void {
  typing.reset();
}

export function useIsTyping(userId: string | undefined): boolean {
  return useStore(typing, (timers) => (userId ? timers.has(userId) : false));
}
