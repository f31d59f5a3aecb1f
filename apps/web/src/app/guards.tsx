import { Navigate, Outlet, useLocation, type Location } from 'react-router';
import { useAuth } from './auth-context';
import { RealtimeSync } from './RealtimeSync';

export function Splash() {
  return (
    <div className="splash" role="status" aria-live="polite" data-testid="app-loading">
      <span className="spinner" aria-hidden="true" />
      <span>Loading Natter…</span>
    </div>
  );
}

/** Signed-in only; a signed-out visitor goes to /login (or where sign-out asked). */
export function RequireAuth() {
  const { state } = useAuth();
  const location = useLocation();
  if (state.status === 'loading') return <Splash />;
  if (state.status === 'signedOut') {
    return (
      <Navigate
        to={state.redirectTo ?? '/login'}
        replace
        state={state.redirectTo ? undefined : { from: location }}
      />
    );
  }
  return (
    <>
      <RealtimeSync />
      <Outlet />
    </>
  );
}

/** /login and /signup: a signed-in user goes back to where they were headed, or /chat. */
export function PublicOnly() {
  const { state } = useAuth();
  const location = useLocation();
  if (state.status === 'loading') return <Splash />;
  if (state.status === 'signedIn') {
    const from = (location.state as { from?: Location } | null)?.from;
    const target =
      from && from.pathname.startsWith('/') && !from.pathname.startsWith('/log')
        ? from.pathname
        : '/chat';
    return <Navigate to={target} replace />;
  }
  return <Outlet />;
}
