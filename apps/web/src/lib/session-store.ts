import type { AuthResponse, PublicUser } from '@natter/contracts/client';
import type { ApiClient } from './api-client';
import { NetworkError, errorMessage } from './errors';
import {
  forgetSession,
  mayHaveSession,
  onSessionForgottenElsewhere,
  rememberSession,
} from './session-hint';

export type SessionStatus = 'loading' | 'signedIn' | 'signedOut';

export interface SessionState {
  status: SessionStatus;
  user: PublicUser | null;
  /** Where a guarded route should send a signed-out visitor (default /login). */
  redirectTo: string | null;
  /** Why the session ended, shown on the login page (e.g. revoked elsewhere). */
  notice: string | null;
}

export interface EndSessionOptions {
  redirectTo?: string;
  notice?: string;
}

/** The signed-in user and session lifecycle; the access token itself stays in the api client. */
export function createSessionStore(api: ApiClient) {
  let state: SessionState = { status: 'loading', user: null, redirectTo: null, notice: null };
  let restoring: Promise<void> | null = null;
  const listeners = new Set<() => void>();

  function set(next: SessionState): void {
    state = next;
    for (const listener of listeners) listener();
  }

  function endSession(opts: EndSessionOptions = {}): void {
    if (api.getAccessToken() !== null) api.setAccessToken(null);
    forgetSession();
    set({
      status: 'signedOut',
      user: null,
      redirectTo: opts.redirectTo ?? null,
      notice: opts.notice ?? null,
    });
  }

  // A refused refresh anywhere (request retry, socket reconnect) ends the session.
  api.onSignedOut(() => {
    if (state.status === 'signedIn')
      endSession({ notice: 'Your session has ended. Please sign in again.' });
    else if (state.status === 'loading') endSession();
  });

  // Signed out in another tab of this browser: the shared cookie's session is gone here too.
  onSessionForgottenElsewhere(() => {
    if (state.status === 'signedIn') endSession({ redirectTo: '/login' });
  });

  return {
    getState: (): SessionState => state,
    subscribe(listener: () => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    /** On page load: trade the HttpOnly refresh cookie for an access token, then load /me. */
    restore(): Promise<void> {
      restoring ??= (async () => {
        // Never signed in here (or signed out since): no cookie can exist, so do not ask.
        if (!mayHaveSession()) {
          endSession();
          return;
        }
        try {
          const token = await api.refresh();
          if (!token) {
            endSession();
            return;
          }
          const { user } = await api.get('/api/me');
          rememberSession();
          set({ status: 'signedIn', user, redirectTo: null, notice: null });
        } catch (error) {
          endSession({
            notice: error instanceof NetworkError ? errorMessage(error) : undefined,
          });
        }
      })();
      return restoring;
    },
    /** The signed-in user changed (e.g. two-factor sign-in turned on or off). */
    updateUser(user: PublicUser): void {
      if (state.status === 'signedIn') set({ ...state, user });
    },
    signIn(response: AuthResponse): void {
      api.setAccessToken(response.accessToken);
      rememberSession();
      set({ status: 'signedIn', user: response.user, redirectTo: null, notice: null });
    },
    /** POST /api/logout (revokes the session and clears the cookie), then forget everything. */
    async logout(): Promise<void> {
      // First, so the other tabs know the revocation they are about to hear of came from here.
      forgetSession();
      try {
        await api.post('/api/logout');
      } catch {
        // Signing out locally must work even when the server cannot be reached.
      } finally {
        endSession({ redirectTo: '/login' });
      }
    },
    endSession,
  };
}

export type SessionStore = ReturnType<typeof createSessionStore>;
