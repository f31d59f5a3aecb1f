import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { SessionInfo } from '@natter/contracts/client';
import { useApi, useAuth } from '../../app/auth-context';
import { errorMessage } from '../../lib/errors';
import { queryKeys } from '../../lib/query-keys';
import { formatDateTime } from '../../lib/time';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { useToast } from '../../ui/toast-context';

/** A readable "Firefox on Linux"-style summary of a user-agent string. */
export function describeUserAgent(ua: string): string {
  if (!ua) return 'Unknown device';
  const browser = /Edg\//.test(ua)
    ? 'Edge'
    : /OPR\//.test(ua)
      ? 'Opera'
      : /Firefox\//.test(ua)
        ? 'Firefox'
        : /Chrome\/|Chromium\//.test(ua)
          ? 'Chrome'
          : /Safari\//.test(ua)
            ? 'Safari'
            : null;
  const os = /Android/.test(ua)
    ? 'Android'
    : /iPhone|iPad|iPod/.test(ua)
      ? 'iOS'
      : /Windows/.test(ua)
        ? 'Windows'
        : /Mac OS X|Macintosh/.test(ua)
          ? 'macOS'
          : /Linux/.test(ua)
            ? 'Linux'
            : null;
  if (browser && os) return `${browser} on ${os}`;
  return browser ?? os ?? ua.slice(0, 60);
}

export function SessionsSection() {
  const api = useApi();
  const { store } = useAuth();
  const queryClient = useQueryClient();
  const toast = useToast();
  const [revoking, setRevoking] = useState<SessionInfo | null>(null);
  const {
    data: sessions,
    isPending,
    error,
  } = useQuery({
    queryKey: queryKeys.sessions,
    queryFn: async () => (await api.get('/api/sessions')).sessions,
  });
  const revoke = useMutation({
    mutationFn: (id: string) => api.del('/api/sessions/:id', { params: { id } }),
    onSuccess: (_r, id) => {
      queryClient.setQueryData<SessionInfo[]>(queryKeys.sessions, (l) =>
        l?.filter((s) => s.id !== id),
      );
    },
  });

  return (
    <section
      className="settings-section"
      aria-labelledby="sessions-heading"
      data-testid="sessions-section"
    >
      <h2 id="sessions-heading">Sessions</h2>
      <p className="muted">Devices where you are signed in. Revoke any you don't recognise.</p>
      {isPending && <p className="muted">Loading sessions…</p>}
      {error && (
        <p className="form-error" role="alert">
          {errorMessage(error)}
        </p>
      )}
      {sessions && (
        <ul className="settings-list" aria-label="Sessions">
          {sessions.map((session) => (
            <li
              key={session.id}
              className="settings-item"
              data-testid="session-item"
              data-session-id={session.id}
              data-current={session.current ? 'true' : 'false'}
            >
              <div className="settings-item-main">
                <span className="settings-item-title" title={session.userAgent}>
                  {describeUserAgent(session.userAgent)}
                  {session.current && (
                    <span className="chip chip-current" data-testid="current-session">
                      This device
                    </span>
                  )}
                </span>
                <span className="muted small">
                  IP {session.ip || 'unknown'} · signed in {formatDateTime(session.createdAt)} ·
                  last active {formatDateTime(session.lastUsedAt)}
                </span>
              </div>
              <button
                type="button"
                className="button button-small button-danger"
                onClick={() => setRevoking(session)}
                aria-label={
                  session.current
                    ? 'Sign out this device'
                    : `Revoke session ${describeUserAgent(session.userAgent)}`
                }
                data-testid="revoke-session"
              >
                {session.current ? 'Sign out' : 'Revoke'}
              </button>
            </li>
          ))}
        </ul>
      )}
      {revoking && (
        <ConfirmDialog
          title={revoking.current ? 'Sign out this device?' : 'Revoke this session?'}
          confirmLabel={revoking.current ? 'Sign out' : 'Revoke'}
          destructive
          onClose={() => setRevoking(null)}
          onConfirm={async () => {
            await revoke.mutateAsync(revoking.id);
            if (revoking.current) store.endSession({ redirectTo: '/login' });
            else toast.show('Session revoked', 'success');
          }}
        >
          <p>
            {describeUserAgent(revoking.userAgent)} (IP {revoking.ip || 'unknown'}) will be signed
            out
            {revoking.current ? '' : ' immediately'}.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}
