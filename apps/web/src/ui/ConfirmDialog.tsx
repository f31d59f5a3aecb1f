import { useId, useRef, useState, type ReactNode } from 'react';
import { errorMessage } from '../lib/errors';
import { Modal } from './Modal';

export interface ConfirmDialogProps {
  title: string;
  children?: ReactNode;
  confirmLabel: string;
  cancelLabel?: string;
  destructive?: boolean;
  onConfirm: () => Promise<unknown> | void;
  onClose: () => void;
}

/** "Are you sure?" with the action's own label; stays open and shows the error if it fails. */
export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  cancelLabel = 'Cancel',
  destructive = false,
  onConfirm,
  onClose,
}: ConfirmDialogProps) {
  const titleId = useId();
  const bodyId = useId();
  const cancelRef = useRef<HTMLButtonElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function confirm() {
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
      onClose();
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  }

  return (
    <Modal
      role="alertdialog"
      labelledBy={titleId}
      describedBy={children ? bodyId : undefined}
      onClose={() => !busy && onClose()}
      initialFocus={cancelRef}
      testId="confirm-dialog"
    >
      <h2 id={titleId} className="modal-title">
        {title}
      </h2>
      {children && (
        <div id={bodyId} className="modal-body">
          {children}
        </div>
      )}
      {error && (
        <p role="alert" className="form-error">
          {error}
        </p>
      )}
      <div className="modal-actions">
        <button ref={cancelRef} type="button" className="button" onClick={onClose} disabled={busy}>
          {cancelLabel}
        </button>
        <button
          type="button"
          className={destructive ? 'button button-danger' : 'button button-primary'}
          onClick={() => void confirm()}
          disabled={busy}
          data-testid="confirm-dialog-confirm"
        >
          {busy ? 'Working…' : confirmLabel}
        </button>
      </div>
    </Modal>
  );
}
