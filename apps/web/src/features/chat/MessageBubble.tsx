import { memo } from 'react';
import { formatClock } from '../../lib/time';
import { deliveryLabel, type ChatMessage } from './conversation-state';
import { MessageImage } from './MessageImage';

export interface MessageBubbleProps {
  message: ChatMessage;
  mine: boolean;
  senderName: string;
  peerReadSeq: number;
  onRetry: (key: string) => void;
  onDiscard: (key: string) => void;
}

export const MessageBubble = memo(function MessageBubble({
  message,
  mine,
  senderName,
  peerReadSeq,
  onRetry,
  onDiscard,
}: MessageBubbleProps) {
  const label = mine ? deliveryLabel(message, peerReadSeq) : null;
  return (
    <li
      className={mine ? 'message mine' : 'message theirs'}
      data-testid="message"
      data-key={message.key}
      data-seq={message.seq ?? undefined}
      data-status={label ?? 'received'}
      data-mine={mine ? 'true' : 'false'}
    >
      <div className={`bubble bubble-${message.status}`}>
        <span className="visually-hidden">{mine ? 'You' : senderName}: </span>
        {message.type === 'image' ? (
          <MessageImage message={message} senderName={mine ? 'you' : senderName} />
        ) : (
          // Plain React text: message content is never parsed as HTML.
          <p className="message-text" data-testid="message-text">
            {message.text}
          </p>
        )}
        <span className="message-meta">
          <time dateTime={message.createdAt}>{formatClock(message.createdAt)}</time>
          {label && (
            <span
              className={`message-status status-${label === 'Not sent' ? 'failed' : label.toLowerCase().replace('…', '')}`}
              data-testid="message-status"
            >
              {label}
            </span>
          )}
        </span>
      </div>
      {message.status === 'failed' && (
        <div className="message-failure" role="alert">
          <span>{message.error ?? 'Not sent'}</span>
          <button
            type="button"
            className="link-button"
            onClick={() => onRetry(message.key)}
            data-testid="retry-message"
          >
            Retry
          </button>
          <button
            type="button"
            className="link-button"
            onClick={() => onDiscard(message.key)}
            data-testid="discard-message"
          >
            Delete
          </button>
        </div>
      )}
    </li>
  );
});
