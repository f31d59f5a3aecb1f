import { useState, type FormEvent } from 'react';
import { ErrorCode } from '@natter/contracts/client';
import { useAuth } from '../../app/auth-context';
import { HttpError, errorMessage } from '../../lib/errors';
import { codePayload, OneTimeCodeField, validateCode, type OneTimeCode } from './OneTimeCodeField';

export interface TwoFactorStepProps {
  challenge: string;
  /** Back to the password step, with a reason when the challenge ended. */
  onRestart: (notice?: string) => void;
}

/** The second sign-in step: a code from the authenticator app or a recovery code. */
export function TwoFactorStep({ challenge, onRestart }: TwoFactorStepProps) {
  const { api, store } = useAuth();
  const [code, setCode] = useState<OneTimeCode>({ kind: 'code', value: '' });
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    setFormError(null);
    const invalid = validateCode(code);
    setFieldError(invalid);
    if (invalid) return;
    setBusy(true);
    try {
      const response = await api.post('/api/login/2fa', {
        json: { challenge, ...codePayload(code) },
        auth: false,
      });
      store.signIn(response);
    } catch (error) {
      setBusy(false);
      if (error instanceof HttpError && error.code === ErrorCode.CHALLENGE_EXPIRED) {
        onRestart('That sign-in took too long or had too many wrong codes. Please start again.');
        return;
      }
      if (error instanceof HttpError && error.code === ErrorCode.INVALID_TWO_FACTOR_CODE) {
        setFieldError(
          code.kind === 'code'
            ? 'That code is not right (or was already used). Try the next one.'
            : 'That recovery code is not right or was already used.',
        );
        return;
      }
      setFormError(errorMessage(error));
    }
  }

  return (
    <form className="auth-form" noValidate onSubmit={onSubmit} data-testid="two-factor-form">
      <h1 className="auth-title">Two-factor sign-in</h1>
      <p className="muted">Your password was right. Now confirm it is you.</p>
      <OneTimeCodeField
        code={code}
        onChange={(next) => {
          setCode(next);
          setFieldError(null);
        }}
        error={fieldError}
        autoFocus
        testId="login-code"
      />
      <div
        className="form-error-region"
        aria-live="assertive"
        role="alert"
        data-testid="form-error"
      >
        {formError}
      </div>
      <button
        type="submit"
        className="button button-primary button-block"
        disabled={busy}
        data-testid="two-factor-submit"
      >
        {busy ? 'Checking…' : 'Verify and sign in'}
      </button>
      <p className="auth-switch">
        <button type="button" className="link-button" onClick={() => onRestart()}>
          Back to password
        </button>
      </p>
    </form>
  );
}
