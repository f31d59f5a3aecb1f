import { useId } from 'react';
import { RECOVERY_CODE_PATTERN, TOTP_CODE_PATTERN } from '@natter/contracts/client';

export type CodeKind = 'code' | 'recoveryCode';

export interface OneTimeCode {
  kind: CodeKind;
  value: string;
}

/** What the API expects: six digits without spaces, or a recovery code. */
export function codePayload(code: OneTimeCode): { code: string } | { recoveryCode: string } {
  const value = code.kind === 'code' ? code.value.replace(/\s/g, '') : code.value.trim();
  return code.kind === 'code' ? { code: value } : { recoveryCode: value };
}

/** A message when the code cannot be right as typed, otherwise null. */
export function validateCode(code: OneTimeCode): string | null {
  const payload = codePayload(code);
  if ('code' in payload) {
    return TOTP_CODE_PATTERN.test(payload.code)
      ? null
      : 'Enter the 6-digit code from your authenticator app';
  }
  return RECOVERY_CODE_PATTERN.test(payload.recoveryCode)
    ? null
    : 'Enter one of your recovery codes (like abcde-fghij)';
}

export interface OneTimeCodeFieldProps {
  code: OneTimeCode;
  onChange: (code: OneTimeCode) => void;
  error?: string | null;
  autoFocus?: boolean;
  /** Prefix of the data-testid values, so two forms on one page stay apart. */
  testId: string;
}

/** A code from the authenticator app, or (switchable) a recovery code. */
export function OneTimeCodeField({
  code,
  onChange,
  error,
  autoFocus,
  testId,
}: OneTimeCodeFieldProps) {
  const id = useId();
  const isTotp = code.kind === 'code';
  return (
    <div className="field">
      <label htmlFor={id}>{isTotp ? 'Authentication code' : 'Recovery code'}</label>
      <input
        id={id}
        type="text"
        inputMode={isTotp ? 'numeric' : 'text'}
        autoComplete="one-time-code"
        autoCapitalize="none"
        spellCheck={false}
        maxLength={isTotp ? 9 : 11}
        autoFocus={autoFocus}
        placeholder={isTotp ? '123456' : 'abcde-fghij'}
        value={code.value}
        onChange={(e) => onChange({ ...code, value: e.target.value })}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : `${id}-hint`}
        data-testid={`${testId}-input`}
      />
      {error ? (
        <p id={`${id}-error`} className="field-error" data-testid={`${testId}-error`}>
          {error}
        </p>
      ) : (
        <p id={`${id}-hint`} className="field-hint">
          {isTotp
            ? 'The 6-digit code your authenticator app shows for Natter'
            : 'One of the recovery codes you saved; each works once'}
        </p>
      )}
      <button
        type="button"
        className="link-button"
        onClick={() => onChange({ kind: isTotp ? 'recoveryCode' : 'code', value: '' })}
        data-testid={`${testId}-switch`}
      >
        {isTotp ? 'Use a recovery code instead' : 'Use an authentication code instead'}
      </button>
    </div>
  );
}
