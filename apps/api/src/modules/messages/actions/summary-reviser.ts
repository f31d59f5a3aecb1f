import { Injectable } from '@nestjs/common';
import { ConversationsRepository } from '../conversations.repository';
import type { MessageRecord } from '../messages.repository';
import { SummaryWriter } from '../summary-writer';
import { toLastMessageRecord } from './preview';

const MAX_ATTEMPTS = 5;

/**
 * Keeps the conversation summary's last message true when that message is edited or deleted
 * for everyone. Only a summary still pointing at this message (same seq) is rewritten, so a
 * newer message is never replaced (see ConversationsRepository.reviseLastMessage, which also
 * keeps a late `$max` rewrite of the original summary from undoing it). The write is read back
 * and repeated when a concurrent summary update of the same document (possible on FerretDB)
 * overwrote it. Conversations summarised before `summary` existed keep their old fields,
 * revised the same way.
 */
@Injectable()
export class SummaryReviser {
  constructor(
    private readonly conversations: ConversationsRepository,
    private readonly writer: SummaryWriter,
  ) {}

  async revise(message: MessageRecord): Promise<void> {
    // The message's own summary may still be on its way (SummaryWriter): let it land first, so
    // the revision finds it. One from another process lands within a round of its send.
    await this.writer.flush();
    const last = toLastMessageRecord(message);
    for (const layout of ['summary', 'legacy'] as const) {
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        const current = await this.conversations.reviseLastMessage(
          message.conversationId,
          last,
          layout,
        );
        if (current === 'unmatched') break; // no longer the newest message (or gone)
        if (!current) return;
        if (current.text === last.text && Boolean(current.deleted) === Boolean(last.deleted))
          return;
      }
    }
  }
}
