import { useState } from 'react';
import type { TwoFactorSetupResponse } from '@natter/contracts/client';
import { useQueryClient } from '@tanstack/react-query';
import { useAuth, useCurrentUser } from '../../app/auth-context';
import { errorMessage } from '../../lib/errors';
import { queryKeys } from '../../lib/query-keys';
import { DisableTwoFactorForm } from './DisableTwoFactorForm';
import { RecoveryCodes } from './RecoveryCodes';
import { TwoFactorSetup } from './TwoFactorSetup';

type Step =
  | { name: 'idle' }
  | { name: 'setup'; setup: TwoFactorSetupResponse }
  | { name: 'codes'; recoveryCodes: string[] };

/** Settings: turn two-factor sign-in (TOTP) on, see the recovery codes once, turn it off. */
export function TwoFactorSection() {
  const { api, store } = useAuth();
  const me = useCurrentUser();
  const queryClient = useQueryClient();
  const [step, setStep] = useState<Step>({ name: 'idle' });
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  /** Both changes sign out the other sessions: show the truth from the server. */
  async function reloadMe() {
    const { user } = await api.get('/api/me');
    store.updateUser(user);
    void queryClient.invalidateQueries({ queryKey: queryKeys.sessions });
  }

  async function startSetup() {
    setBusy(true);
    setError(null);
    setStatus(null);
    try {
      const setup = await api.post('/api/2fa/setup');
      setStep({ name: 'setup', setup });
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section
      className="settings-section"
      aria-labelledby="two-factor-heading"
      data-testid="two-factor-section"
    >
      <h2 id="two-factor-heading">Two-factor sign-in</h2>
      <p className="muted" data-testid="two-factor-state">
        {me.twoFactorEnabled
          ? 'On: signing in asks for a code from your authenticator app after your password.'
          : 'Off: your password alone signs you in.'}
      </p>
      <div className="form-status" role="status" aria-live="polite" data-testid="two-factor-status">
        {status && <p className="form-success">{status}</p>}
        {error && <p className="form-error">{error}</p>}
      </div>

      {step.name === 'codes' ? (
        <RecoveryCodes
          codes={step.recoveryCodes}
          username={me.username}
          onDone={() => setStep({ name: 'idle' })}
        />
      ) : step.name === 'setup' ? (
        <TwoFactorSetup
          setup={step.setup}
          onCancel={() => setStep({ name: 'idle' })}
          onEnabled={async (recoveryCodes) => {
            setStep({ name: 'codes', recoveryCodes });
            setStatus('Two-factor sign-in is on. Your other sessions were signed out.');
            await reloadMe().catch(() => undefined);
          }}
        />
      ) : me.twoFactorEnabled ? (
        <DisableTwoFactorForm
          onDisabled={async () => {
            setStatus('Two-factor sign-in is off. Your other sessions were signed out.');
            await reloadMe().catch(() => undefined);
          }}
        />
      ) : (
        <button
          type="button"
          className="button button-primary"
          onClick={() => void startSetup()}
          disabled={busy}
          data-testid="two-factor-setup-button"
        >
          {busy ? 'Preparing…' : 'Set up two-factor sign-in'}
        </button>
      )}
    </section>
  );
}
