import { IsBoolean, IsIn, IsInt, IsMongoId, IsOptional, IsString, Min } from 'class-validator';
import { Nested, NestedArray, Timestamp } from './schema-decorators';

export class ImageInfo {
  @IsMongoId()
  id!: string;

  @IsInt()
  @Min(1)
  width!: number;

  @IsInt()
  @Min(1)
  height!: number;

  /** `/api/media/{id}`: the image, for the two participants. */
  @IsString()
  url!: string;

  /** `/api/media/{id}/thumbnail`. */
  @IsString()
  thumbnailUrl!: string;
}

export class MessageInfo {
  @IsMongoId()
  id!: string;

  @IsMongoId()
  conversationId!: string;

  @IsInt()
  @Min(1)
  seq!: number;

  @IsMongoId()
  senderId!: string;

  @IsMongoId()
  recipientId!: string;

  @IsIn(['text', 'image'])
  type!: 'text' | 'image';

  /** Plain text (never HTML): the text of a text message, or an image's caption (absent when it has none). */
  @IsOptional()
  @IsString()
  text?: string;

  /** Only on image messages. */
  @IsOptional()
  @Nested(() => ImageInfo)
  image?: ImageInfo;

  @IsString()
  clientId!: string;

  @Timestamp()
  createdAt!: string;
}

/** A page of history (`GET /api/conversations/{contactId}/messages`, `load_conversation`). */
export class HistoryResponse {
  /** Oldest first. */
  @NestedArray(() => MessageInfo)
  messages!: MessageInfo[];

  @IsBoolean()
  hasMore!: boolean;

  /** How far the contact has read this conversation, so read receipts survive a reload. */
  @IsInt()
  @Min(0)
  peerLastReadSeq!: number;
}

/** `POST /api/messages/image` (201). */
export class MessageResponse {
  @Nested(() => MessageInfo)
  message!: MessageInfo;
}
