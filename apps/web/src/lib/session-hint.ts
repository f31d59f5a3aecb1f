/**
 * A non-secret "this browser may be signed in" flag in localStorage. It holds no token and
 * proves nothing: it only lets a signed-out visit skip the refresh request (which would answer
 * 401 and log an error), and lets the other tabs tell "I signed out in another tab" apart from
 * "this session was revoked from another device".
 */
const KEY = 'natter-maybe-signed-in';

export function mayHaveSession(): boolean {
  try {
    return window.localStorage.getItem(KEY) === '1';
  } catch {
    return true; // no storage: ask the server, as before
  }
}

export function rememberSession(): void {
  try {
    window.localStorage.setItem(KEY, '1');
  } catch {
    // private mode: every visit asks the server
  }
}

export function forgetSession(): void {
  try {
    window.localStorage.removeItem(KEY);
  } catch {
    // nothing stored
  }
}

/** Another tab of this browser signed out (the flag was removed there). */
export function onSessionForgottenElsewhere(listener: () => void): () => void {
  if (typeof window === 'undefined') return () => undefined;
  const onStorage = (event: StorageEvent) => {
    if ((event.key === KEY && event.newValue === null) || event.key === null) listener();
  };
  window.addEventListener('storage', onStorage);
  return () => window.removeEventListener('storage', onStorage);
}
