import { followThemeAcrossTabs, setThemePreference, subscribeTheme } from './theme';

describe('theme across tabs', () => {
  it('applies a theme another tab stored, and tells the toggles', () => {
    setThemePreference('light');
    const stop = followThemeAcrossTabs();
    const listener = jest.fn();
    const unsubscribe = subscribeTheme(listener);
    // Another tab writes the choice; this tab only sees the storage event.
    window.localStorage.setItem('natter-theme', 'dark');
    window.dispatchEvent(new StorageEvent('storage', { key: 'natter-theme', newValue: 'dark' }));
    expect(document.documentElement.dataset.theme).toBe('dark');
    expect(listener).toHaveBeenCalled();
    unsubscribe();
    stop();
  });

  it('ignores unrelated keys', () => {
    setThemePreference('light');
    const stop = followThemeAcrossTabs();
    window.dispatchEvent(new StorageEvent('storage', { key: 'something-else', newValue: 'x' }));
    expect(document.documentElement.dataset.theme).toBe('light');
    stop();
  });
});
