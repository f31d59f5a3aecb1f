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
import { isSingleEmoji } from './emoji';
import { CHANGE_CURSOR_PATTERN, DELETE_SCOPES, type DeleteScope } from './limits';
import { MessageTextConstraint } from './messages';

/*
 * The DTOs of message actions (edit, delete, react, catch-up), for the REST routes and the
 * socket events. Their limits live in limits.ts, the emoji rule in emoji.ts, the response
 * classes in messages.responses.ts.
 */

@ValidatorConstraint({ name: 'singleEmoji' })
export class SingleEmojiConstraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return isSingleEmoji(value);
  }
  defaultMessage(): string {
    return 'emoji must be a single emoji';
  }
}

/** `PATCH /api/messages/{id}`: the new text (trimmed, 1..MESSAGE_TEXT_MAX_LENGTH). */
export class EditMessageDto {
  @Validate(MessageTextConstraint)
  text!: string;
}

export class DeleteMessageQuery {
  @IsIn(DELETE_SCOPES)
  for!: DeleteScope;
}

/** `PUT /api/messages/{id}/reaction`. */
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
