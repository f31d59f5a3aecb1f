import { useSyncExternalStore } from 'react';

/** Text for the polite live region that announces incoming messages to screen readers. */
let current = '';
const listeners = new Set<() => void>();

export function announce(text: string): void {
  // A repeated identical text would not be re-read; a trailing zero-width space changes it.
  current = current === text ? `${text}\u200b` : text;
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useAnnouncement(): string {
  return useSyncExternalStore(subscribe, () => current);
}
