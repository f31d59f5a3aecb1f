import { createContext, useContext } from 'react';
import type { PublicUser } from '@natter/contracts/client';
import type { ApiClient } from '../lib/api-client';
import type { SessionState, SessionStore } from '../lib/session-store';

export interface AuthContextValue {
  state: SessionState;
  store: SessionStore;
  api: ApiClient;
}

export const AuthContext = createContext<AuthContextValue | null>(null);

export function useAuth(): AuthContextValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth outside <AuthProvider>');
  return value;
}

export function useApi(): ApiClient {
  return useAuth().api;
}

/** The signed-in user; only call below a guarded route. */
export function useCurrentUser(): PublicUser {
  const { state } = useAuth();
  if (!state.user) throw new Error('useCurrentUser while signed out');
  return state.user;
}
