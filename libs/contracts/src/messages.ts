import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsInt,
  IsMongoId,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  Validate,
  ValidatorConstraint,
  ValidatorConstraintInterface,
} from 'class-validator';
import {
  CLIENT_ID_PATTERN,
  HISTORY_PAGE_MAX,
  IMAGE_CAPTION_MAX_LENGTH,
  MESSAGE_TEXT_MAX_LENGTH,
} from './limits';

/** Text must be a real string of 1..max characters once surrounding whitespace is trimmed. */
@ValidatorConstraint({ name: 'messageText' })
export class MessageTextConstraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    if (typeof value !== 'string') return false;
    const length = value.trim().length;
    return length >= 1 && length <= MESSAGE_TEXT_MAX_LENGTH;
  }
  defaultMessage(): string {
    return `text must be 1–${MESSAGE_TEXT_MAX_LENGTH} characters`;
  }
}

export class HistoryQuery {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  before?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  after?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(HISTORY_PAGE_MAX)
  limit?: number;
}

export class MarkReadDto {
  @IsInt()
  @Min(0)
  seq!: number;
}

export class SendPrivateMessageDto {
  @IsMongoId()
  recipientId!: string;

  @Validate(MessageTextConstraint)
  text!: string;

  @IsString()
  @Matches(CLIENT_ID_PATTERN)
  clientId!: string;

  /** The message this one answers: same conversation, not deleted. */
  @IsOptional()
  @IsMongoId()
  replyToId?: string;
}

export class LoadConversationDto {
  @IsMongoId()
  contactId!: string;

  @IsOptional()
  @IsInt()
  @Min(0)
  before?: number;
}

export class MarkReadEventDto {
  @IsMongoId()
  contactId!: string;

  @IsInt()
  @Min(0)
  seq!: number;
}

export class TypingDto {
  @IsMongoId()
  contactId!: string;

  @IsBoolean()
  isTyping!: boolean;
}

export class UploadImageDto {
  @IsMongoId()
  recipientId!: string;

  @IsOptional()
  @IsString()
  @Matches(CLIENT_ID_PATTERN)
  clientId?: string;

  /** Caption shown with the image; trimmed, and an empty one means none. */
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @MaxLength(IMAGE_CAPTION_MAX_LENGTH)
  text?: string;

  /** The message this one answers: same conversation, not deleted. */
  @IsOptional()
  @IsMongoId()
  replyToId?: string;
}
