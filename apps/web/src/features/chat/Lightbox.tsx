import { useId, useRef, useState } from 'react';
import { Modal } from '../../ui/Modal';

export interface LightboxProps {
  /** blob: URL of the full image, or null while it loads. */
  src: string | null;
  error?: string | null;
  alt: string;
  width?: number;
  height?: number;
  /** File name offered by Download (default "natter-photo"). */
  downloadName?: string;
  /** Caption shown under the image. */
  caption?: string;
  onClose: () => void;
}

const ZOOM_STEPS = [1, 1.5, 2, 3, 4] as const;

/**
 * Full-size image in a modal dialog: focus trapped, Escape or Close returns focus to the
 * thumbnail. "Fit" shows it whole; zooming shows it at 1×–4× its real size, scrollable.
 */
export function Lightbox({
  src,
  error,
  alt,
  width,
  height,
  downloadName = 'natter-photo',
  caption,
  onClose,
}: LightboxProps) {
  const titleId = useId();
  const closeRef = useRef<HTMLButtonElement>(null);
  /** Index into ZOOM_STEPS, or -1 for "fit to the window". */
  const [zoom, setZoom] = useState(-1);
  const scale = zoom < 0 ? null : ZOOM_STEPS[zoom];
  const zoomIn = () => setZoom((z) => Math.min(ZOOM_STEPS.length - 1, z + 1));
  const zoomOut = () => setZoom((z) => Math.max(-1, z - 1));
  const zoomLabel = scale === null ? 'Fit' : `${Math.round(scale * 100)}%`;

  return (
    <Modal
      labelledBy={titleId}
      onClose={onClose}
      className="lightbox"
      testId="lightbox"
      initialFocus={closeRef}
    >
      <div className="lightbox-header">
        <h2 id={titleId} className="lightbox-title">
          {alt}
        </h2>
        <div className="lightbox-tools" role="toolbar" aria-label="Image tools">
          <button
            type="button"
            className="button button-small"
            onClick={zoomOut}
            disabled={!src || zoom < 0}
            aria-label="Zoom out"
            data-testid="lightbox-zoom-out"
          >
            −
          </button>
          <button
            type="button"
            className="button button-small lightbox-zoom-level"
            onClick={() => setZoom(-1)}
            disabled={!src}
            aria-label={`Zoom: ${zoomLabel}. Fit to window`}
            data-testid="lightbox-zoom-level"
          >
            {zoomLabel}
          </button>
          <button
            type="button"
            className="button button-small"
            onClick={zoomIn}
            disabled={!src || zoom >= ZOOM_STEPS.length - 1}
            aria-label="Zoom in"
            data-testid="lightbox-zoom-in"
          >
            +
          </button>
          {src && (
            <a
              className="button button-small"
              href={src}
              download={downloadName}
              data-testid="lightbox-download"
            >
              Download
            </a>
          )}
          <button
            ref={closeRef}
            type="button"
            className="button button-small"
            onClick={onClose}
            data-testid="lightbox-close"
          >
            Close
          </button>
        </div>
      </div>
      <div className={scale === null ? 'lightbox-body' : 'lightbox-body zoomed'}>
        {src ? (
          <img
            src={src}
            alt={alt}
            width={width}
            height={height}
            className="lightbox-image"
            data-testid="lightbox-image"
            data-zoom={scale ?? 'fit'}
            style={
              scale !== null && width && height
                ? {
                    width: width * scale,
                    height: height * scale,
                    maxWidth: 'none',
                    maxHeight: 'none',
                  }
                : undefined
            }
            onDoubleClick={() => (scale === null ? zoomIn() : setZoom(-1))}
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
      {caption && (
        <p className="lightbox-caption" data-testid="lightbox-caption">
          {caption}
        </p>
      )}
    </Modal>
  );
}
