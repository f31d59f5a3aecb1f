import { isWindowAttentive } from '../chat/active-conversation';
import { getNotificationPrefs, notificationPermission } from './notification-prefs';

export interface DesktopNotice {
  title: string;
  body: string;
  /** Same tag from several tabs: the browser shows one notification, not one per tab. */
  tag: string;
  onClick: () => void;
}

/** Notifications only while the page is hidden or unfocused, and only when switched on. */
export function mayNotify(): boolean {
  if (isWindowAttentive()) return false;
  if (notificationPermission() !== 'granted') return false;
  return getNotificationPrefs().enabled;
}

export function showDesktopNotice(notice: DesktopNotice): void {
  if (!mayNotify()) return;
  let notification: Notification;
  try {
    notification = new window.Notification(notice.title, {
      body: notice.body,
      tag: notice.tag,
      icon: '/favicon.svg',
    });
  } catch {
    return; // e.g. a browser that only allows notifications from a service worker
  }
  notification.onclick = () => {
    window.focus();
    notice.onClick();
    notification.close();
  };
  if (getNotificationPrefs().sound) playChime();
}

let audio: AudioContext | null = null;

/** A short two-note chime made on the spot (no sound file to fetch). */
export function playChime(): void {
  try {
    const Context =
      window.AudioContext ??
      (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
    if (!Context) return;
    audio ??= new Context();
    const start = audio.currentTime;
    for (const [offset, frequency] of [
      [0, 880],
      [0.12, 1320],
    ] as const) {
      const oscillator = audio.createOscillator();
      const gain = audio.createGain();
      oscillator.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, start + offset);
      gain.gain.exponentialRampToValueAtTime(0.15, start + offset + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + offset + 0.25);
      oscillator.connect(gain).connect(audio.destination);
      oscillator.start(start + offset);
      oscillator.stop(start + offset + 0.3);
    }
  } catch {
    // Audio is a nicety: never let it break message handling.
  }
}
