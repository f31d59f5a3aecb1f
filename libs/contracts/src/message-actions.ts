import {
  IsIn,
  IsMongoId,
  IsString,
  Matches,
  Validate,
  ValidateIf,
  ValidatorConstraint,
  ValidatorConstraintInterface,
} from 'class-validator';
import type { MessageInfo } from './messages';
import { MessageTextConstraint } from './messages';

/** How much of the original's text a reply quotes. */
export const REPLY_QUOTE_LENGTH = 200;
/** Upper bound on a reaction's UTF-16 length, checked before any segmentation work. */
export const REACTION_MAX_LENGTH = 32;
/** Most entries one `changes` call returns; `hasMore` says when to ask again. */
export const CHANGES_PAGE_MAX = 100;
/** The six reactions offered first in the message menu. */
export const QUICK_REACTIONS = ['👍', '❤️', '😂', '😮', '😢', '🙏'] as const;
/** Defaults of MESSAGE_EDIT_WINDOW_SECONDS and MESSAGE_DELETE_WINDOW_SECONDS. */
export const MESSAGE_EDIT_WINDOW_DEFAULT_SECONDS = 86_400;
export const MESSAGE_DELETE_WINDOW_DEFAULT_SECONDS = 172_800;

/**
 * `<changeSeq>.<messageSeq>`: how far the holder has seen the conversation's change log and its
 * messages. Opaque to clients; decimal integers without leading zeros, 15 digits at most.
 */
export const CHANGE_CURSOR_PATTERN = /^(0|[1-9]\d{0,14})\.(0|[1-9]\d{0,14})$/;

let rgiEmoji: RegExp | null | undefined;
/** `\p{RGI_Emoji}` needs the `v` flag (Node 20, current browsers); older engines fall back. */
function rgiEmojiPattern(): RegExp | null {
  if (rgiEmoji === undefined) {
    try {
      rgiEmoji = new RegExp('^\\p{RGI_Emoji}$', 'v');
    } catch {
      rgiEmoji = null;
    }
  }
  return rgiEmoji;
}
const PICTOGRAPHIC = /\p{Extended_Pictographic}|\p{Regional_Indicator}/u;

/**
 * True for exactly one user-perceived character (grapheme cluster, by Intl.Segmenter) that is
 * an emoji of the Unicode RGI set: skin tones, ZWJ sequences and flags included; letters,
 * digits, "#", two emoji or an emoji with text are not.
 */
export function isSingleEmoji(value: unknown): value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length > REACTION_MAX_LENGTH)
    return false;
  const graphemes = [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(value)];
  if (graphemes.length !== 1) return false;
  const rgi = rgiEmojiPattern();
  return rgi ? rgi.test(value) : PICTOGRAPHIC.test(value);
}

@ValidatorConstraint({ name: 'singleEmoji' })
export class SingleEmojiConstraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return isSingleEmoji(value);
  }
  defaultMessage(): string {
    return 'emoji must be a single emoji';
  }
}

export class EditMessageDto {
  @Validate(MessageTextConstraint)
  text!: string;
}

export type DeleteScope = 'everyone' | 'me';
export const DELETE_SCOPES: readonly DeleteScope[] = ['everyone', 'me'];

export class DeleteMessageQuery {
  @IsIn(DELETE_SCOPES)
  for!: DeleteScope;
}

export class ReactionDto {
  @Validate(SingleEmojiConstraint)
  emoji!: string;
}

export class ChangesQuery {
  @IsString()
  @Matches(CHANGE_CURSOR_PATTERN, { message: 'since must be a cursor from a history response' })
  since!: string;
}

export class EditMessageEventDto {
  @IsMongoId()
  messageId!: string;

  @Validate(MessageTextConstraint)
  text!: string;
}

export class DeleteMessageEventDto {
  @IsMongoId()
  messageId!: string;

  @IsIn(DELETE_SCOPES)
  for!: DeleteScope;
}

export class ReactEventDto {
  @IsMongoId()
  messageId!: string;

  /** null removes your reaction. */
  @ValidateIf((dto: ReactEventDto) => dto.emoji !== null)
  @Validate(SingleEmojiConstraint)
  emoji!: string | null;
}

export interface ReactionInfo {
  userId: string;
  emoji: string;
}

export interface ReplyToInfo {
  id: string;
  seq: number;
  senderId: string;
  type: 'text' | 'image';
  /** The first REPLY_QUOTE_LENGTH characters of the original's current text; absent once deleted. */
  text?: string;
  /** Present once the original was deleted for everyone. */
  deleted?: true;
}

export interface ChangesResponse {
  /** The current state of every message created, edited, deleted or reacted to since the cursor. */
  messages: MessageInfo[];
  /** Messages you hid ("delete for me") since the cursor. */
  hiddenIds: string[];
  cursor: string;
  hasMore: boolean;
}

export interface EditMessagePayload {
  messageId: string;
  text: string;
}
export interface DeleteMessagePayload {
  messageId: string;
  for: DeleteScope;
}
export interface ReactPayload {
  messageId: string;
  emoji: string | null;
}
export interface MessageUpdatedEvent {
  message: MessageInfo;
}
export interface MessageHiddenEvent {
  contactId: string;
  messageId: string;
}
