import { memo } from 'react';
import { formatClock } from '../../lib/time';
import { deliveryLabel, type ChatMessage } from './conversation-state';
import { useMessageActions } from './message-actions-context';
import { MessageImage } from './MessageImage';
import { MessageText } from './MessageText';
import { ReactionsRow } from './ReactionsRow';
import { ReplyQuote } from './ReplyPreview';
import { useMessageMenu } from './useMessageMenu';

export interface MessageBubbleProps {
  message: ChatMessage;
  mine: boolean;
  senderName: string;
  peerReadSeq: number;
  /** First / last of a run of one sender's messages (see grouping.ts). */
  groupStart?: boolean;
  groupEnd?: boolean;
  onRetry: (key: string) => void;
  onDiscard: (key: string) => void;
}

export const MessageBubble = memo(function MessageBubble({
  message,
  mine,
  senderName,
  peerReadSeq,
  groupStart = true,
  groupEnd = true,
  onRetry,
  onDiscard,
}: MessageBubbleProps) {
  const label = mine ? deliveryLabel(message, peerReadSeq) : null;
  const actions = useMessageActions();
  const menu = useMessageMenu(message, actions);
  const classes = [
    'message',
    mine ? 'mine' : 'theirs',
    groupStart ? 'group-start' : 'grouped',
    groupEnd ? 'group-end' : '',
  ].join(' ');
  return (
    <li
      {...menu.itemProps}
      data-message-id={message.id ?? undefined}
      className={classes.trim()}
      data-group-start={groupStart ? 'true' : 'false'}
      data-testid="message"
      data-key={message.key}
      data-seq={message.seq ?? undefined}
      data-status={label ?? 'received'}
      data-mine={mine ? 'true' : 'false'}
    >
      <div className={`bubble bubble-${message.status}`}>
        <span className="visually-hidden">{mine ? 'You' : senderName}: </span>
        {message.replyTo && actions && (
          <ReplyQuote
            reply={message.replyTo}
            authorName={message.replyTo.senderId === actions.myId ? 'You' : senderName}
            onJump={actions.jumpTo}
          />
        )}
        {message.deletedAt ? (
          <p className="message-text message-deleted" data-testid="message-deleted">
            This message was deleted
          </p>
        ) : message.type === 'image' ? (
          <>
            <MessageImage message={message} senderName={mine ? 'you' : senderName} />
            {message.text && <MessageText text={message.text} testId="message-caption" />}
          </>
        ) : (
          // Plain React text (links aside): message content is never parsed as HTML.
          <MessageText text={message.text ?? ''} />
        )}
        <span className="message-meta">
          {message.editedAt && !message.deletedAt && (
            <span className="message-edited" data-testid="message-edited">
              edited
            </span>
          )}
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
        {menu.trigger}
      </div>
      {menu.menu}
      {actions && <ReactionsRow message={message} actions={actions} />}
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
