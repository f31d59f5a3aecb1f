import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { ErrorCode } from '@natter/contracts/client';
import { useNavigate } from 'react-router';
import { useAuth } from '../../app/auth-context';
import { ConfirmDialog } from '../../ui/ConfirmDialog';

export function DeleteAccountSection() {
  const { api, store } = useAuth();
  const navigate = useNavigate();
  const passwordId = useId();
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const passwordRef = useRef<HTMLInputElement>(null);
  const refocusField = useRef(false);

  // After the dialog has closed (and handed focus back to its opener), put the user in the field.
  useEffect(() => {
    if (confirming || !refocusField.current) return;
    refocusField.current = false;
    passwordRef.current?.focus();
    passwordRef.current?.select();
  }, [confirming]);

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (!password) {
      setError('Enter your password to confirm');
      return;
    }
    setError(null);
    setConfirming(true);
  }

  return (
    <section
      className="settings-section danger-zone"
      aria-labelledby="delete-heading"
      data-testid="delete-account-section"
    >
      <h2 id="delete-heading">Delete account</h2>
      <p className="muted">
        This permanently deletes your account, your contacts and your conversations. It cannot be
        undone.
      </p>
      <form className="settings-form" noValidate onSubmit={onSubmit}>
        <div className="field">
          <label htmlFor={passwordId}>Password</label>
          <input
            ref={passwordRef}
            id={passwordId}
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => {
              setPassword(e.target.value);
              if (error) setError(null);
            }}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${passwordId}-error` : undefined}
            data-testid="delete-password-input"
          />
          {error && (
            <p id={`${passwordId}-error`} className="field-error" role="alert">
              {error}
            </p>
          )}
        </div>
        <button type="submit" className="button button-danger" data-testid="delete-account-button">
          Delete my account…
        </button>
      </form>
      {confirming && (
        <ConfirmDialog
          title="Delete your account permanently?"
          confirmLabel="Delete account"
          destructive
          onClose={() => setConfirming(false)}
          onConfirm={async () => {
            try {
              await api.del('/api/me', { json: { password } });
            } catch (err) {
              const code = (err as { code?: string }).code;
              if (code !== ErrorCode.INVALID_CREDENTIALS) throw err;
              // Back to the form, where the field can be corrected (the dialog would hide it).
              setError('Wrong password. Check it and try again.');
              refocusField.current = true;
              return;
            }
            store.endSession({ redirectTo: '/signup', notice: 'Your account was deleted.' });
            // The server also drops this tab's socket; whichever sign-out lands first, go to /signup.
            navigate('/signup', { replace: true });
          }}
        >
          <p>Your contacts will be told that you left. This cannot be undone.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
