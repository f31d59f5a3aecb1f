import {
  Equals,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsMongoId,
  IsOptional,
  IsString,
  Matches,
  Min,
} from 'class-validator';
import { CHANGE_CURSOR_PATTERN } from './limits';
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

export class ReactionInfo {
  @IsMongoId()
  userId!: string;

  /** One emoji (a single grapheme of the Unicode RGI set). */
  @IsString()
  emoji!: string;
}

/** What a reply's quote and a contact's preview show of a message. */
export class MessagePreview {
  @IsInt()
  @Min(1)
  seq!: number;

  @IsMongoId()
  senderId!: string;

  @IsIn(['text', 'image'])
  type!: 'text' | 'image';

  /** The start of its current text (a reply quotes REPLY_QUOTE_LENGTH characters); absent for images and once deleted. */
  @IsOptional()
  @IsString()
  text?: string;

  /** Present once it was deleted for everyone. */
  @IsOptional()
  @Equals(true)
  deleted?: true;
}

/** The message a reply answers, as it is now. */
export class ReplyToInfo extends MessagePreview {
  @IsMongoId()
  id!: string;
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

  /** When the text was last edited (edits keep no history). */
  @IsOptional()
  @Timestamp()
  editedAt?: string;

  /** A tombstone: text and image are gone, type and seq stay. */
  @IsOptional()
  @Timestamp()
  deletedAt?: string;

  /** Only on replies whose original still exists in the conversation. */
  @IsOptional()
  @Nested(() => ReplyToInfo)
  replyTo?: ReplyToInfo;

  /** At most one per user; empty when none (always on a tombstone). */
  @NestedArray(() => ReactionInfo)
  reactions!: ReactionInfo[];
}

/** Opaque `<changeSeq>.<messageSeq>`; `GET …/changes?since=` takes it. */
const Cursor = () => Matches(CHANGE_CURSOR_PATTERN);

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

  /** Where `GET …/changes?since=` picks up from to bring this page up to date. */
  @Cursor()
  cursor!: string;
}

/** `GET /api/conversations/{contactId}/changes`: what changed since a cursor. */
export class ChangesResponse {
  /** The current state of every message created, edited, deleted or reacted to since the cursor, by seq. */
  @NestedArray(() => MessageInfo)
  messages!: MessageInfo[];

  /** Messages you hid ("delete for me") since the cursor. */
  @IsArray()
  @IsMongoId({ each: true })
  hiddenIds!: string[];

  /** Ask again with this cursor while `hasMore`. */
  @Cursor()
  cursor!: string;

  @IsBoolean()
  hasMore!: boolean;
}

/** `POST /api/messages/image` (201), `PATCH /api/messages/{id}`, the reaction routes. */
export class MessageResponse {
  @Nested(() => MessageInfo)
  message!: MessageInfo;
}
