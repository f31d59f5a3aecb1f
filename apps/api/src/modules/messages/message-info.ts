import type { MessageInfo } from '@natter/contracts';
import type { MessageRecord } from './messages.repository';

/** A stored message as the contract shows it (without reactions and reply summary; see MessageView). */
export function toMessageInfo(message: MessageRecord): MessageInfo {
  const info: MessageInfo = {
    id: message.id,
    conversationId: message.conversationId,
    seq: message.seq,
    senderId: message.senderId,
    recipientId: message.recipientId,
    type: message.type,
    clientId: message.clientId,
    createdAt: message.createdAt.toISOString(),
    reactions: [],
  };
  if (message.editedAt) info.editedAt = message.editedAt.toISOString();
  // A tombstone keeps its seq and type, nothing of its content.
  if (message.deletedAt) return { ...info, deletedAt: message.deletedAt.toISOString() };
  if (message.type === 'text') info.text = message.text ?? '';
  else if (message.text) info.text = message.text; // an image's caption
  if (message.image) {
    const { mediaId, width, height } = message.image;
    info.image = {
      id: mediaId,
      width,
      height,
      url: `/api/media/${mediaId}`,
      thumbnailUrl: `/api/media/${mediaId}/thumbnail`,
    };
  }
  return info;
}
