import { useSyncExternalStore } from 'react';
import { resolveTheme, setThemePreference, subscribeTheme } from '../lib/theme';

export function ThemeToggle() {
  const theme = useSyncExternalStore(subscribeTheme, () => resolveTheme());
  const next = theme === 'dark' ? 'light' : 'dark';
  return (
    <button
      type="button"
      className="icon-button"
      data-testid="theme-toggle"
      aria-label={`Switch to ${next} theme`}
      title={`Switch to ${next} theme`}
      onClick={() => setThemePreference(next)}
    >
      <span aria-hidden="true">{theme === 'dark' ? '☀' : '☾'}</span>
    </button>
  );
}
