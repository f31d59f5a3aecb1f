import { useState } from 'react';

export interface RecoveryCodesProps {
  codes: string[];
  username: string;
  onDone: () => void;
}

/** The recovery codes, shown this once: copy, download, then confirm they are saved. */
export function RecoveryCodes({ codes, username, onDone }: RecoveryCodesProps) {
  const [copied, setCopied] = useState<string | null>(null);
  const text = `Natter recovery codes for ${username}\nEach code signs in once.\n\n${codes.join('\n')}\n`;

  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setCopied('Copied to the clipboard.');
    } catch {
      setCopied('Copying is not allowed here; select the codes and copy them yourself.');
    }
  }

  function download() {
    const url = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = `natter-recovery-codes-${username}.txt`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 0);
  }

  return (
    <div className="recovery-codes" data-testid="recovery-codes">
      <h3>Save your recovery codes</h3>
      <p>
        If you lose your phone, each of these codes signs you in once instead of a code from the
        app. <strong>They are shown only now.</strong> Keep them somewhere safe.
      </p>
      <ul className="recovery-code-list" aria-label="Recovery codes">
        {codes.map((code) => (
          <li key={code}>
            <code data-testid="recovery-code">{code}</code>
          </li>
        ))}
      </ul>
      <div className="button-row">
        <button
          type="button"
          className="button"
          onClick={() => void copy()}
          data-testid="recovery-copy"
        >
          Copy
        </button>
        <button type="button" className="button" onClick={download} data-testid="recovery-download">
          Download
        </button>
        <button
          type="button"
          className="button button-primary"
          onClick={onDone}
          data-testid="recovery-done"
        >
          I have saved them
        </button>
      </div>
      <p className="form-status" role="status" aria-live="polite">
        {copied}
      </p>
    </div>
  );
}
