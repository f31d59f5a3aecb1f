import type { ReplyToInfo } from '@natter/contracts/client';
import type { ChatMessage } from './conversation-state';

/** One line of what a reply quotes: the original's text, "Photo", or that it was deleted. */
export function quoteText(reply: Pick<ReplyToInfo, 'type' | 'text' | 'deleted'>): string {
  if (reply.deleted) return 'This message was deleted';
  if (reply.type === 'image') return reply.text ? `📷 ${reply.text}` : '📷 Photo';
  return reply.text ?? '';
}

export function toReplyTo(message: ChatMessage): ReplyToInfo | null {
  if (message.id === null || message.seq === null) return null;
  return {
    id: message.id,
    seq: message.seq,
    senderId: message.senderId,
    type: message.type,
    ...(message.text ? { text: message.text.slice(0, 200) } : {}),
  };
}

/** The quote at the top of a reply bubble; activating it scrolls to the original. */
export function ReplyQuote({
  reply,
  authorName,
  onJump,
}: {
  reply: ReplyToInfo;
  authorName: string;
  onJump: (id: string) => void;
}) {
  return (
    <button
      type="button"
      className="reply-quote"
      onClick={() => onJump(reply.id)}
      aria-label={`Reply to ${authorName}: ${quoteText(reply)}. Show the original message`}
      data-testid="reply-quote"
    >
      <span className="reply-author">{authorName}</span>
      <span className="reply-text">{quoteText(reply)}</span>
    </button>
  );
}

/** Above the composer while replying to or editing a message; Cancel (or Escape) ends it. */
export function ComposerBanner({
  mode,
  reply,
  authorName,
  onCancel,
}: {
  mode: 'reply' | 'edit';
  reply: ReplyToInfo;
  authorName: string;
  onCancel: () => void;
}) {
  const title = mode === 'edit' ? 'Editing your message' : `Replying to ${authorName}`;
  return (
    <div className="composer-banner" data-testid={`composer-${mode}`} role="status">
      <span className="composer-banner-text">
        <span className="reply-author">{title}</span>
        <span className="reply-text">{quoteText(reply)}</span>
      </span>
      <button
        type="button"
        className="icon-button"
        aria-label={mode === 'edit' ? 'Cancel editing' : 'Cancel reply'}
        onClick={onCancel}
        data-testid="composer-banner-cancel"
      >
        <span aria-hidden="true">×</span>
      </button>
    </div>
  );
}
