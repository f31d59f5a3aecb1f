import { useId } from 'react';
import { Modal } from '../../ui/Modal';

export interface LightboxProps {
  /** blob: URL of the full image, or null while it loads. */
  src: string | null;
  error?: string | null;
  alt: string;
  width?: number;
  height?: number;
  onClose: () => void;
}

/** Full-size image in a modal dialog: focus trapped, Escape or Close returns focus to the thumbnail. */
export function Lightbox({ src, error, alt, width, height, onClose }: LightboxProps) {
  const titleId = useId();
  return (
    <Modal labelledBy={titleId} onClose={onClose} className="lightbox" testId="lightbox">
      <div className="lightbox-header">
        <h2 id={titleId} className="lightbox-title">
          {alt}
        </h2>
        <button
          type="button"
          className="button button-small"
          onClick={onClose}
          data-testid="lightbox-close"
        >
          Close
        </button>
      </div>
      <div className="lightbox-body">
        {src ? (
          <img
            src={src}
            alt={alt}
            width={width}
            height={height}
            className="lightbox-image"
            data-testid="lightbox-image"
          />
        ) : error ? (
          <p className="form-error" role="alert">
            {error}
          </p>
        ) : (
          <p className="muted" role="status">
            Loading image…
          </p>
        )}
      </div>
    </Modal>
  );
}
