import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useSyncExternalStore, type ReactNode } from 'react';
import type { ApiClient } from '../lib/api-client';
import type { SessionStore } from '../lib/session-store';
import { resetAccountState } from '../lib/store';
import { AuthContext } from './auth-context';

export interface AuthProviderProps {
  store: SessionStore;
  api: ApiClient;
  /** Skip the refresh-cookie restore (tests that start signed out or signed in). */
  restore?: boolean;
  children: ReactNode;
}

export function AuthProvider({ store, api, restore = true, children }: AuthProviderProps) {
  const state = useSyncExternalStore(store.subscribe, store.getState);
  const queryClient = useQueryClient();

  useEffect(() => {
    if (restore) void store.restore();
  }, [store, restore]);

  // Nothing of one account may linger for the next one on this tab.
  useEffect(() => {
    if (state.status === 'signedOut') resetAccountState(queryClient);
  }, [state.status, queryClient]);

  const value = useMemo(() => ({ state, store, api }), [state, store, api]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}
