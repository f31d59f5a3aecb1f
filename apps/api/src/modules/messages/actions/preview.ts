import { Injectable } from '@nestjs/common';
import type { ConversationRecord, LastMessageRecord } from '../conversations.repository';
// Read at call time only, so the import cycle with conversations.service is harmless.
import { PREVIEW_LENGTH } from '../conversations.service';
import type { MessageRecord } from '../messages.repository';
import { MessageActionsRepository } from './message-actions.repository';

const STEP = 20;
const MAX_STEPS = 5;

export interface PreviewOverlay {
  /** The conversation's last message as this viewer sees it (skipping what they hid). */
  visibleLast(conversation: ConversationRecord): Promise<LastMessageRecord | null>;
  /** How many of the viewer's unread messages (seq above lastReadSeq) were deleted for everyone. */
  deletedUnread(conversationId: string, lastReadSeq: number): number;
}

export function toLastMessageRecord(message: MessageRecord): LastMessageRecord {
  return {
    seq: message.seq,
    senderId: message.senderId,
    type: message.type,
    text: message.text === null ? null : message.text.slice(0, PREVIEW_LENGTH),
    createdAt: message.createdAt,
    ...(message.deletedAt ? { deleted: true } : {}),
  };
}

/**
 * How the contacts list follows message actions on top of the denormalised summaries: the
 * preview never shows a message its viewer hid ("delete for me" of the newest message changes
 * that viewer's preview only), and a message deleted for everyone before it was read stops
 * counting as unread. Two reads per contacts list (the viewer's hides and the deletions of
 * messages to them in these conversations; both hold only what was hidden or deleted), and a
 * walk back through the messages only for a conversation whose newest message is hidden.
 */
@Injectable()
export class PreviewFilter {
  constructor(private readonly repository: MessageActionsRepository) {}

  async overlayFor(userId: string, conversations: ConversationRecord[]): Promise<PreviewOverlay> {
    const ids = conversations.map((c) => c.id);
    const [hidden, deleted] = await Promise.all([
      this.repository.hiddenSeqsIn(userId, ids),
      this.repository.deletedSeqsFor(userId, ids),
    ]);
    return {
      visibleLast: async (conversation) => {
        const last = conversation.lastMessage;
        const hiddenHere = hidden.get(conversation.id);
        if (!last || !hiddenHere?.has(last.seq)) return last;
        const visible = await this.newestVisible(conversation.id, last.seq, hiddenHere);
        return visible ? toLastMessageRecord(visible) : null;
      },
      deletedUnread: (conversationId, lastReadSeq) =>
        (deleted.get(conversationId) ?? []).filter((seq) => seq > lastReadSeq).length,
    };
  }

  /** Bounded: someone who hid more than STEP × MAX_STEPS of the newest messages sees no preview. */
  private async newestVisible(
    conversationId: string,
    before: number,
    hidden: Set<number>,
  ): Promise<MessageRecord | null> {
    for (let step = 0; step < MAX_STEPS; step++) {
      const older = await this.repository.newestBefore(conversationId, before, STEP);
      const visible = older.find((message) => !hidden.has(message.seq));
      if (visible || older.length < STEP) return visible ?? null;
      before = older[older.length - 1].seq;
    }
    return null;
  }
}
