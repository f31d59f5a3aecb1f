export type ThemePreference = 'light' | 'dark' | 'system';
export type ResolvedTheme = 'light' | 'dark';

const STORAGE_KEY = 'natter-theme';
const listeners = new Set<() => void>();

function media(): MediaQueryList | null {
  return typeof window !== 'undefined' && typeof window.matchMedia === 'function'
    ? window.matchMedia('(prefers-color-scheme: dark)')
    : null;
}

/** The stored choice; a theme is no secret, so localStorage is fine (tokens never go there). */
export function getThemePreference(): ThemePreference {
  try {
    const value = window.localStorage.getItem(STORAGE_KEY);
    return value === 'light' || value === 'dark' ? value : 'system';
  } catch {
    return 'system';
  }
}

export function resolveTheme(pref: ThemePreference = getThemePreference()): ResolvedTheme {
  if (pref !== 'system') return pref;
  return media()?.matches ? 'dark' : 'light';
}

export function applyTheme(): void {
  const theme = resolveTheme();
  document.documentElement.dataset.theme = theme;
  document.documentElement.style.colorScheme = theme;
}

export function setThemePreference(pref: ThemePreference): void {
  try {
    if (pref === 'system') window.localStorage.removeItem(STORAGE_KEY);
    else window.localStorage.setItem(STORAGE_KEY, pref);
  } catch {
    // Private mode: the choice lasts for this page only.
  }
  applyTheme();
  for (const listener of listeners) listener();
}

export function subscribeTheme(listener: () => void): () => void {
  listeners.add(listener);
  const mq = media();
  const onChange = () => {
    applyTheme();
    listener();
  };
  mq?.addEventListener('change', onChange);
  return () => {
    listeners.delete(listener);
    mq?.removeEventListener('change', onChange);
  };
}

/**
 * Other tabs of this app follow a theme change at once: the storage event fires in every
 * other tab when one of them writes the choice.
 */
export function followThemeAcrossTabs(): () => void {
  const onStorage = (event: StorageEvent) => {
    if (event.key !== STORAGE_KEY && event.key !== null) return;
    applyTheme();
    for (const listener of listeners) listener();
  };
  window.addEventListener('storage', onStorage);
  return () => window.removeEventListener('storage', onStorage);
}
