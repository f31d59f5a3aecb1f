import { useState } from 'react';
import type { ChatMessage } from './conversation-state';
import { fitWithin } from './image-validation';
import { Lightbox } from './Lightbox';
import { useAuthedImage } from './useAuthedImage';

const THUMB_BOX = 260;

function FullImage({
  message,
  alt,
  onClose,
}: {
  message: ChatMessage;
  alt: string;
  onClose: () => void;
}) {
  const full = useAuthedImage(message.image?.url);
  const src = full.url ?? (message.image ? null : (message.upload?.previewUrl ?? null));
  return (
    <Lightbox
      src={src}
      error={full.error}
      alt={alt}
      width={message.image?.width ?? message.upload?.width}
      height={message.image?.height ?? message.upload?.height}
      downloadName={`natter-photo-${message.seq ?? 'new'}`}
      caption={message.text}
      onClose={onClose}
    />
  );
}

/**
 * A thumbnail with its box reserved from the known width/height (no jump when it loads);
 * the stored thumbnail is fetched with the token, the local preview bridges the gap.
 */
export function MessageImage({
  message,
  senderName,
}: {
  message: ChatMessage;
  senderName: string;
}) {
  const [open, setOpen] = useState(false);
  const thumb = useAuthedImage(message.image?.thumbnailUrl);
  const width = message.image?.width ?? message.upload?.width ?? 0;
  const height = message.image?.height ?? message.upload?.height ?? 0;
  const box = fitWithin(width, height, THUMB_BOX);
  const src = thumb.url ?? message.upload?.previewUrl ?? null;
  const alt = `Photo from ${senderName}`;
  const uploading = message.id === null && message.status === 'pending' && message.upload;

  return (
    <div className="message-image">
      <button
        type="button"
        className="image-button"
        onClick={() => setOpen(true)}
        disabled={!src}
        aria-label={`Open photo from ${senderName}`}
        data-testid="message-image"
        style={{ width: box.width, aspectRatio: `${box.width} / ${box.height}` }}
      >
        {src ? (
          <img
            src={src}
            alt={alt}
            width={box.width}
            height={box.height}
            className="thumbnail"
            data-testid="message-thumbnail"
          />
        ) : (
          <span className="thumbnail-placeholder" aria-hidden="true">
            {thumb.error ? 'Image unavailable' : ''}
          </span>
        )}
      </button>
      {uploading && (
        <progress
          className="upload-progress"
          max={1}
          value={message.upload?.progress ?? 0}
          aria-label="Uploading photo"
          data-testid="upload-progress"
        />
      )}
      {open && <FullImage message={message} alt={alt} onClose={() => setOpen(false)} />}
    </div>
  );
}
