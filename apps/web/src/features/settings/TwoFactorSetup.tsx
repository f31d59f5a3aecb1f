import { useId, useState, type FormEvent } from 'react';
import {
  ErrorCode,
  TOTP_CODE_PATTERN,
  type TwoFactorSetupResponse,
} from '@natter/contracts/client';
import { QRCodeSVG } from 'qrcode.react';
import { useApi } from '../../app/auth-context';
import { errorMessage } from '../../lib/errors';

export interface TwoFactorSetupProps {
  setup: TwoFactorSetupResponse;
  onEnabled: (recoveryCodes: string[]) => void | Promise<void>;
  onCancel: () => void;
}

/** Scan (or type) the secret, then confirm with a code: only then is it turned on. */
export function TwoFactorSetup({ setup, onEnabled, onCancel }: TwoFactorSetupProps) {
  const api = useApi();
  const ids = { code: useId(), secret: useId() };
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Groups of four are easier to type into an app by hand.
  const spacedSecret = setup.secret.replace(/(.{4})(?=.)/g, '$1 ');

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const digits = code.replace(/\s/g, '');
    if (!TOTP_CODE_PATTERN.test(digits)) {
      setError('Enter the 6-digit code your app shows');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const { recoveryCodes } = await api.post('/api/2fa/enable', { json: { code: digits } });
      await onEnabled(recoveryCodes);
    } catch (err) {
      setBusy(false);
      setError(
        errorMessage(err, {
          [ErrorCode.INVALID_TWO_FACTOR_CODE]: 'That code is not right. Try the current one.',
          [ErrorCode.TWO_FACTOR_SETUP_REQUIRED]: 'This setup was replaced; start again.',
        }),
      );
    }
  }

  return (
    <div className="two-factor-setup" data-testid="two-factor-setup">
      <ol className="two-factor-steps">
        <li>
          <p>
            Scan this QR code with an authenticator app (such as Aegis, 1Password or Google
            Authenticator).
          </p>
          <div className="qr-frame">
            <QRCodeSVG
              value={setup.otpauthUri}
              size={184}
              marginSize={2}
              bgColor="#ffffff"
              fgColor="#000000"
              title="QR code for your authenticator app"
              role="img"
              aria-label="QR code for your authenticator app"
              data-testid="two-factor-qr"
            />
          </div>
          <p id={ids.secret} className="field-hint">
            Can’t scan it? Enter this key in the app instead:
          </p>
          <code
            className="secret-key"
            aria-describedby={ids.secret}
            data-testid="two-factor-secret"
          >
            {spacedSecret}
          </code>
        </li>
        <li>
          <form className="settings-form" noValidate onSubmit={onSubmit}>
            <div className="field">
              <label htmlFor={ids.code}>Code from the app</label>
              <input
                id={ids.code}
                type="text"
                inputMode="numeric"
                autoComplete="one-time-code"
                maxLength={9}
                value={code}
                onChange={(e) => setCode(e.target.value)}
                aria-invalid={error ? true : undefined}
                aria-describedby={error ? `${ids.code}-error` : undefined}
                data-testid="two-factor-enable-code"
              />
              {error && (
                <p id={`${ids.code}-error`} className="field-error" role="alert">
                  {error}
                </p>
              )}
            </div>
            <div className="button-row">
              <button
                type="submit"
                className="button button-primary"
                disabled={busy}
                data-testid="two-factor-enable-submit"
              >
                {busy ? 'Turning on…' : 'Turn on'}
              </button>
              <button type="button" className="button" onClick={onCancel} disabled={busy}>
                Cancel
              </button>
            </div>
          </form>
        </li>
      </ol>
    </div>
  );
}
