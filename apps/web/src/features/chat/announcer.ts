import { createStore, useStore } from '../../lib/store';

/** Text for the polite live region that announces incoming messages to screen readers. */
const announcement = createStore(() => '', { name: 'announcement' });

export function announce(text: string): void {
  // A repeated identical text would not be re-read; a trailing zero-width space changes it.
  announcement.set(announcement.get() === text ? `${text}\u200b` : text);
}

export function useAnnouncement(): string {
  return useStore(announcement, (text) => text);
}
