import type { ChatMessage } from './conversation-state';
import type { MessageActionsApi } from './message-actions-context';
import { countReactions } from './message-actions-state';

/** Reactions under a bubble, with counts; yours is highlighted and a click toggles it. */
export function ReactionsRow({
  message,
  actions,
}: {
  message: ChatMessage;
  actions: MessageActionsApi;
}) {
  const counts = countReactions(message.reactions, actions.myId);
  if (counts.length === 0 || message.deletedAt) return null;
  return (
    <div className="reactions-row" role="group" aria-label="Reactions" data-testid="reactions">
      {counts.map(({ emoji, count, mine }) => (
        <button
          key={emoji}
          type="button"
          className={mine ? 'reaction mine' : 'reaction'}
          aria-pressed={mine}
          aria-label={`${emoji} ${count}${mine ? ', including yours; remove yours' : `; react with ${emoji}`}`}
          onClick={() => actions.react(message, mine ? null : emoji)}
          data-testid="reaction"
          data-emoji={emoji}
          data-mine={mine ? 'true' : 'false'}
        >
          <span aria-hidden="true">{emoji}</span>
          <span className="reaction-count" aria-hidden="true">
            {count}
          </span>
        </button>
      ))}
    </div>
  );
}
