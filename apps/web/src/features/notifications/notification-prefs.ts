import { useSyncExternalStore } from 'react';

/**
 * This device's notification choices. Not secret (two booleans), so localStorage is fine, and
 * other tabs follow a change through the storage event.
 */
export interface NotificationPrefs {
  /** The user switched desktop notifications on here (permission alone is not enough). */
  enabled: boolean;
  /** A short sound with each notification. */
  sound: boolean;
}

const STORAGE_KEY = 'natter-notifications';
const DEFAULTS: NotificationPrefs = { enabled: false, sound: false };
const listeners = new Set<() => void>();
let cached: { raw: string | null; prefs: NotificationPrefs } | null = null;

function readRaw(): string | null {
  try {
    return window.localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

export function getNotificationPrefs(): NotificationPrefs {
  const raw = readRaw();
  if (cached && cached.raw === raw) return cached.prefs;
  let prefs = DEFAULTS;
  try {
    const parsed = raw ? (JSON.parse(raw) as Partial<NotificationPrefs>) : {};
    prefs = { enabled: parsed.enabled === true, sound: parsed.sound === true };
  } catch {
    prefs = DEFAULTS;
  }
  cached = { raw, prefs };
  return prefs;
}

export function setNotificationPrefs(update: Partial<NotificationPrefs>): void {
  const next = { ...getNotificationPrefs(), ...update };
  try {
    window.localStorage.setItem(STORAGE_KEY, JSON.stringify(next));
  } catch {
    cached = { raw: null, prefs: next }; // private mode: this page only
  }
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  const onStorage = (event: StorageEvent) => {
    if (event.key === STORAGE_KEY || event.key === null) listener();
  };
  window.addEventListener('storage', onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('storage', onStorage);
  };
}

export function useNotificationPrefs(): NotificationPrefs {
  return useSyncExternalStore(subscribe, getNotificationPrefs, () => DEFAULTS);
}

export type PermissionState = NotificationPermission | 'unsupported';

export function notificationPermission(): PermissionState {
  return typeof window !== 'undefined' && 'Notification' in window
    ? window.Notification.permission
    : 'unsupported';
}
