import { useId, useState, type FormEvent } from 'react';
import { ErrorCode } from '@natter/contracts/client';
import { useApi } from '../../app/auth-context';
import { errorMessage } from '../../lib/errors';
import {
  codePayload,
  OneTimeCodeField,
  validateCode,
  type OneTimeCode,
} from '../auth/OneTimeCodeField';

/** Turning two-factor sign-in off takes the password and a code (or a recovery code). */
export function DisableTwoFactorForm({ onDisabled }: { onDisabled: () => void | Promise<void> }) {
  const api = useApi();
  const passwordId = useId();
  const [password, setPassword] = useState('');
  const [code, setCode] = useState<OneTimeCode>({ kind: 'code', value: '' });
  const [errors, setErrors] = useState<{ password?: string; code?: string | null }>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setFormError(null);
    const next = {
      password: password ? undefined : 'Enter your password',
      code: validateCode(code),
    };
    setErrors(next);
    if (next.password || next.code) return;
    setBusy(true);
    try {
      await api.post('/api/2fa/disable', { json: { password, ...codePayload(code) } });
      await onDisabled();
    } catch (error) {
      setBusy(false);
      const code = (error as { code?: string }).code;
      if (code === ErrorCode.INVALID_CREDENTIALS) setErrors({ password: 'Wrong password' });
      else if (code === ErrorCode.INVALID_TWO_FACTOR_CODE)
        setErrors({ code: 'That code is not right or was already used' });
      else setFormError(errorMessage(error));
    }
  }

  return (
    <form
      className="settings-form"
      noValidate
      onSubmit={onSubmit}
      aria-label="Turn two-factor sign-in off"
      data-testid="two-factor-disable-form"
    >
      <div className="field">
        <label htmlFor={passwordId}>Password</label>
        <input
          id={passwordId}
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          aria-invalid={errors.password ? true : undefined}
          aria-describedby={errors.password ? `${passwordId}-error` : undefined}
          data-testid="two-factor-disable-password"
        />
        {errors.password && (
          <p id={`${passwordId}-error`} className="field-error">
            {errors.password}
          </p>
        )}
      </div>
      <OneTimeCodeField
        code={code}
        onChange={(next) => {
          setCode(next);
          setErrors({ ...errors, code: null });
        }}
        error={errors.code}
        testId="disable-code"
      />
      <div className="form-status" role="alert">
        {formError && <p className="form-error">{formError}</p>}
      </div>
      <button
        type="submit"
        className="button button-danger"
        disabled={busy}
        data-testid="two-factor-disable-submit"
      >
        {busy ? 'Turning off…' : 'Turn two-factor sign-in off'}
      </button>
    </form>
  );
}
