import { useId, useState, type FormEvent } from 'react';
import { ErrorCode } from '@natter/contracts/client';
import { useQueryClient } from '@tanstack/react-query';
import { useApi, useCurrentUser } from '../../app/auth-context';
import { errorMessage } from '../../lib/errors';
import { queryKeys } from '../../lib/query-keys';
import { validateNewPassword } from '../auth/validation';

export function ChangePasswordSection() {
  const api = useApi();
  const me = useCurrentUser();
  const queryClient = useQueryClient();
  const ids = { current: useId(), next: useId(), status: useId() };
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [errors, setErrors] = useState<{ current?: string; next?: string }>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [success, setSuccess] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setSuccess(null);
    setFormError(null);
    const errs: typeof errors = {};
    if (!current) errs.current = 'Enter your current password';
    const nextError = validateNewPassword(next, me.username);
    if (nextError) errs.next = nextError;
    else if (next === current) errs.next = 'The new password must differ from the current one';
    setErrors(errs);
    if (errs.current || errs.next) return;
    setBusy(true);
    try {
      await api.post('/api/password', {
        json: { currentPassword: current, newPassword: next },
      });
      setCurrent('');
      setNext('');
      setSuccess('Password changed. Your other sessions were signed out.');
      void queryClient.invalidateQueries({ queryKey: queryKeys.sessions });
    } catch (error) {
      const message = errorMessage(error, {
        [ErrorCode.INVALID_CREDENTIALS]: 'Your current password is wrong',
      });
      setFormError(message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section
      className="settings-section"
      aria-labelledby="password-heading"
      data-testid="password-section"
    >
      <h2 id="password-heading">Change password</h2>
      <form className="settings-form" noValidate onSubmit={onSubmit}>
        <div className="field">
          <label htmlFor={ids.current}>Current password</label>
          <input
            id={ids.current}
            type="password"
            autoComplete="current-password"
            value={current}
            onChange={(e) => setCurrent(e.target.value)}
            aria-invalid={errors.current ? true : undefined}
            aria-describedby={errors.current ? `${ids.current}-error` : undefined}
            data-testid="current-password-input"
          />
          {errors.current && (
            <p id={`${ids.current}-error`} className="field-error">
              {errors.current}
            </p>
          )}
        </div>
        <div className="field">
          <label htmlFor={ids.next}>New password</label>
          <input
            id={ids.next}
            type="password"
            autoComplete="new-password"
            value={next}
            onChange={(e) => setNext(e.target.value)}
            aria-invalid={errors.next ? true : undefined}
            aria-describedby={errors.next ? `${ids.next}-error` : undefined}
            data-testid="new-password-input"
          />
          {errors.next && (
            <p id={`${ids.next}-error`} className="field-error">
              {errors.next}
            </p>
          )}
        </div>
        <div
          id={ids.status}
          aria-live="polite"
          role="status"
          className="form-status"
          data-testid="password-status"
        >
          {success && <p className="form-success">{success}</p>}
          {formError && <p className="form-error">{formError}</p>}
        </div>
        <button
          type="submit"
          className="button button-primary"
          disabled={busy}
          data-testid="change-password-submit"
        >
          {busy ? 'Changing…' : 'Change password'}
        </button>
      </form>
    </section>
  );
}
