import {
  useEffect,
  useId,
  useRef,
  useState,
  type ChangeEvent,
  type FormEvent,
  type KeyboardEvent,
  type ReactNode,
} from 'react';
import { IMAGE_CAPTION_MAX_LENGTH, MESSAGE_TEXT_MAX_LENGTH } from '@natter/contracts/client';
import { formatBytes } from '../../lib/time';
import { useDraft } from './drafts';
import { IMAGE_ACCEPT } from './image-validation';
import { useTypingSignal } from './useChatWrites';

export interface Attachment {
  file: File;
  previewUrl: string;
  /** Sent with the image, in the same message. */
  caption?: string;
  width?: number;
  height?: number;
}

export interface ComposerProps {
  contactId: string;
  contactName: string;
  attachment: Attachment | null;
  attachError: string | null;
  onPickFile: (file: File) => void;
  onAttachmentSize: (width: number, height: number) => void;
  onCaptionChange: (caption: string) => void;
  onCancelAttachment: () => void;
  onSendText: (text: string) => void;
  onSendImage: () => void;
  /** Reply or edit banner above the input. */
  banner?: ReactNode;
  /** Text to put in the input (editing a message); a new `key` replaces the input's text. */
  prefill?: { key: string; text: string } | null;
  /** Up arrow in an empty input (edit your last message). */
  onEmptyArrowUp?: () => void;
  /** Escape in the input (ends a reply or an edit). */
  onEscape?: () => void;
  submitLabel?: string;
}

export function Composer({
  contactId,
  contactName,
  attachment,
  attachError,
  onPickFile,
  onAttachmentSize,
  onCaptionChange,
  onCancelAttachment,
  onSendText,
  onSendImage,
  banner,
  prefill,
  onEmptyArrowUp,
  onEscape,
  submitLabel = 'Send',
}: ComposerProps) {
  const draft = useDraft(contactId);
  const text = draft.text;
  const typing = useTypingSignal(contactId);
  const inputId = useId();
  const counterId = useId();
  const captionId = useId();
  const [textError, setTextError] = useState<string | null>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const textRef = useRef<HTMLTextAreaElement>(null);

  // A new prefill (another message to edit) replaces what is typed, once.
  const [prefilledKey, setPrefilledKey] = useState<string | null>(null);
  if (prefill && prefill.key !== prefilledKey) {
    setPrefilledKey(prefill.key);
    draft.show(prefill.text);
  } else if (!prefill && prefilledKey !== null) {
    setPrefilledKey(null);
  }
  useEffect(() => {
    if (prefilledKey !== null) textRef.current?.focus();
  }, [prefilledKey]);

  function onChange(event: ChangeEvent<HTMLTextAreaElement>) {
    const value = event.target.value;
    draft.keep(value);
    if (textError) setTextError(null);
    typing.note(value);
  }

  function submit() {
    const trimmed = text.trim();
    if (trimmed.length > MESSAGE_TEXT_MAX_LENGTH) {
      setTextError(`Messages can be at most ${MESSAGE_TEXT_MAX_LENGTH} characters`);
      return;
    }
    if (!trimmed && !attachment) return;
    typing.stop();
    if (attachment) onSendImage();
    if (trimmed) {
      onSendText(trimmed);
      draft.clear();
    }
    textRef.current?.focus();
  }

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    submit();
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      submit();
    } else if (event.key === 'ArrowUp' && !text && onEmptyArrowUp) {
      event.preventDefault();
      onEmptyArrowUp();
    } else if (event.key === 'Escape' && onEscape) {
      event.preventDefault();
      onEscape();
    }
  }

  function onFileChange(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    event.target.value = ''; // picking the same file again still fires change
    if (file) onPickFile(file);
  }

  const length = text.trim().length;
  const nearLimit = length > MESSAGE_TEXT_MAX_LENGTH - 200;
  const canSend = (length > 0 && length <= MESSAGE_TEXT_MAX_LENGTH) || attachment !== null;

  return (
    <form className="composer" onSubmit={onSubmit} data-testid="composer">
      {banner}
      {attachment && (
        <div className="attachment-preview" data-testid="attachment-preview">
          <img
            src={attachment.previewUrl}
            alt={`Selected image ${attachment.file.name}`}
            className="attachment-image"
            onLoad={(e) =>
              onAttachmentSize(e.currentTarget.naturalWidth, e.currentTarget.naturalHeight)
            }
          />
          <span className="attachment-info">
            <span className="attachment-name" title={attachment.file.name || undefined}>
              {attachment.file.name || 'Pasted image'}
            </span>
            <span className="muted">{formatBytes(attachment.file.size)}</span>
            <label htmlFor={captionId} className="visually-hidden">
              Caption
            </label>
            <input
              id={captionId}
              className="caption-input"
              type="text"
              placeholder="Add a caption…"
              value={attachment.caption ?? ''}
              maxLength={IMAGE_CAPTION_MAX_LENGTH}
              onChange={(e) => onCaptionChange(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter' && !e.nativeEvent.isComposing) {
                  e.preventDefault();
                  submit();
                }
              }}
              data-testid="caption-input"
            />
          </span>
          <button
            type="button"
            className="button button-small"
            onClick={onCancelAttachment}
            data-testid="cancel-attachment"
          >
            Remove
          </button>
        </div>
      )}
      {(attachError || textError) && (
        <p className="form-error composer-error" role="alert" data-testid="composer-error">
          {attachError ?? textError}
        </p>
      )}
      <div className="composer-row">
        <button
          type="button"
          className="icon-button"
          aria-label="Attach image"
          title="Attach image"
          onClick={() => fileRef.current?.click()}
          data-testid="attach-button"
        >
          <svg
            aria-hidden="true"
            viewBox="0 0 24 24"
            width="22"
            height="22"
            fill="none"
            stroke="currentColor"
            strokeWidth="2"
            strokeLinecap="round"
            strokeLinejoin="round"
          >
            <path d="M21.44 11.05l-9.19 9.19a6 6 0 0 1-8.49-8.49l9.19-9.19a4 4 0 0 1 5.66 5.66l-9.2 9.19a2 2 0 0 1-2.83-2.83l8.49-8.48" />
          </svg>
        </button>
        <input
          ref={fileRef}
          type="file"
          accept={IMAGE_ACCEPT}
          className="visually-hidden"
          tabIndex={-1}
          aria-hidden="true"
          onChange={onFileChange}
          data-testid="attach-input"
        />
        <label htmlFor={inputId} className="visually-hidden">
          Message {contactName}
        </label>
        <textarea
          ref={textRef}
          id={inputId}
          className="composer-input"
          rows={1}
          placeholder={`Message ${contactName}`}
          value={text}
          onChange={onChange}
          onKeyDown={onKeyDown}
          maxLength={MESSAGE_TEXT_MAX_LENGTH + 100}
          aria-describedby={nearLimit ? counterId : undefined}
          aria-invalid={textError ? true : undefined}
          enterKeyHint="send"
          data-testid="composer-input"
        />
        <button
          type="submit"
          className="button button-primary"
          disabled={!canSend}
          data-testid="send-button"
        >
          {submitLabel}
        </button>
      </div>
      {nearLimit && (
        <p
          id={counterId}
          className={length > MESSAGE_TEXT_MAX_LENGTH ? 'char-count over' : 'char-count'}
        >
          {length}/{MESSAGE_TEXT_MAX_LENGTH}
        </p>
      )}
    </form>
  );
}
