import { useAnnouncement } from './announcer';

/** Polite live region: incoming messages are read out without stealing focus. */
export function MessageAnnouncer() {
  const text = useAnnouncement();
  return (
    <div
      className="visually-hidden"
      aria-live="polite"
      aria-atomic="true"
      data-testid="message-announcer"
    >
      {text}
    </div>
  );
}
