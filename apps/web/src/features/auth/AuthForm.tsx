import { useId, useRef, useState, type FormEvent } from 'react';
import {
  ErrorCode,
  isTwoFactorChallenge,
  type LoginResponse,
  PASSWORD_MAX_BYTES,
  USERNAME_MAX_LENGTH,
  USERNAME_MIN_LENGTH,
} from '@natter/contracts/client';
import { Link } from 'react-router';
import { useAuth } from '../../app/auth-context';
import { HttpError, errorMessage } from '../../lib/errors';
import {
  hasErrors,
  validateLogin,
  validateSignup,
  type Credentials,
  type FieldErrors,
} from './validation';
import { TwoFactorStep } from './TwoFactorStep';

export interface AuthFormProps {
  mode: 'login' | 'signup';
}

type Field = keyof Credentials;

/** Login and signup: labelled fields, per-field errors tied with aria-describedby, a live error region. */
export function AuthForm({ mode }: AuthFormProps) {
  const { api, store, state } = useAuth();
  const ids = { username: useId(), password: useId(), form: useId() };
  const usernameRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const [values, setValues] = useState<Credentials>({ username: '', password: '' });
  const [errors, setErrors] = useState<FieldErrors<Field>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [challenge, setChallenge] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const isSignup = mode === 'signup';
  const validate = isSignup ? validateSignup : validateLogin;

  function update(field: Field, value: string) {
    const next = { ...values, [field]: value };
    setValues(next);
    if (submitted) setErrors(validate(next));
  }

  function focusFirstInvalid(errs: FieldErrors<Field>) {
    if (errs.username) usernameRef.current?.focus();
    else if (errs.password) passwordRef.current?.focus();
  }

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    setSubmitted(true);
    setFormError(null);
    const errs = validate(values);
    setErrors(errs);
    if (hasErrors(errs)) {
      focusFirstInvalid(errs);
      return;
    }
    setBusy(true);
    try {
      const credentials = { username: values.username.trim(), password: values.password };
      const response: LoginResponse = isSignup
        ? await api.post('/api/signup', { json: credentials, auth: false })
        : await api.post('/api/login', { json: credentials, auth: false });
      if (isTwoFactorChallenge(response)) {
        setBusy(false);
        setNotice(null);
        setChallenge(response.challenge);
        return;
      }
      store.signIn(response);
    } catch (error) {
      setBusy(false);
      if (error instanceof HttpError && error.code === ErrorCode.USERNAME_TAKEN) {
        const errs2 = { username: errorMessage(error) };
        setErrors(errs2);
        focusFirstInvalid(errs2);
        return;
      }
      setFormError(errorMessage(error));
    }
  }

  if (challenge) {
    return (
      <TwoFactorStep
        challenge={challenge}
        onRestart={(reason) => {
          setChallenge(null);
          setValues({ ...values, password: '' });
          setNotice(reason ?? null);
        }}
      />
    );
  }

  const describedBy = (field: Field, hintId?: string) =>
    [errors[field] ? `${ids[field]}-error` : null, hintId].filter(Boolean).join(' ') || undefined;

  return (
    <form
      className="auth-form"
      noValidate
      onSubmit={onSubmit}
      aria-describedby={`${ids.form}-error`}
      data-testid={`${mode}-form`}
    >
      <h1 className="auth-title">{isSignup ? 'Create your account' : 'Sign in to Natter'}</h1>
      {!isSignup && (notice ?? state.notice) && (
        <p className="notice" role="status" data-testid="session-notice">
          {notice ?? state.notice}
        </p>
      )}

      <div className="field">
        <label htmlFor={ids.username}>Username</label>
        <input
          ref={usernameRef}
          id={ids.username}
          name="username"
          type="text"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          maxLength={isSignup ? USERNAME_MAX_LENGTH : 100}
          value={values.username}
          onChange={(e) => update('username', e.target.value)}
          aria-invalid={errors.username ? true : undefined}
          aria-describedby={describedBy('username', isSignup ? `${ids.username}-hint` : undefined)}
          data-testid="username-input"
        />
        {isSignup && (
          <p id={`${ids.username}-hint`} className="field-hint">
            {USERNAME_MIN_LENGTH}–{USERNAME_MAX_LENGTH} letters, digits, _ . or -
          </p>
        )}
        {errors.username && (
          <p id={`${ids.username}-error`} className="field-error" data-testid="username-error">
            {errors.username}
          </p>
        )}
      </div>

      <div className="field">
        <label htmlFor={ids.password}>Password</label>
        <input
          ref={passwordRef}
          id={ids.password}
          name="password"
          type="password"
          autoComplete={isSignup ? 'new-password' : 'current-password'}
          value={values.password}
          onChange={(e) => update('password', e.target.value)}
          aria-invalid={errors.password ? true : undefined}
          aria-describedby={describedBy('password', isSignup ? `${ids.password}-hint` : undefined)}
          data-testid="password-input"
        />
        {isSignup && (
          <p id={`${ids.password}-hint`} className="field-hint">
            At least 8 characters (up to {PASSWORD_MAX_BYTES} bytes), not your username
          </p>
        )}
        {errors.password && (
          <p id={`${ids.password}-error`} className="field-error" data-testid="password-error">
            {errors.password}
          </p>
        )}
      </div>

      <div
        id={`${ids.form}-error`}
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
        data-testid={`${mode}-submit`}
      >
        {busy ? (isSignup ? 'Creating account…' : 'Signing in…') : isSignup ? 'Sign up' : 'Sign in'}
      </button>

      <p className="auth-switch">
        {isSignup ? (
          <>
            Already have an account? <Link to="/login">Sign in</Link>
          </>
        ) : (
          <>
            New to Natter? <Link to="/signup">Create an account</Link>
          </>
        )}
      </p>
    </form>
  );
}
