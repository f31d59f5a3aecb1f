import {
  IsBoolean,
  IsMongoId,
  IsOptional,
  IsString,
  Length,
  Matches,
  MaxLength,
} from 'class-validator';
import {
  SEARCH_QUERY_MAX_LENGTH,
  USERNAME_MAX_LENGTH,
  USERNAME_MIN_LENGTH,
  USERNAME_PATTERN,
} from './limits';

export class SearchUsersQuery {
  /** Shorter than the minimum gives an empty list rather than an error. */
  @IsOptional()
  @IsString()
  @MaxLength(SEARCH_QUERY_MAX_LENGTH)
  q?: string;
}

export class SendFriendRequestDto {
  @IsString()
  @Length(USERNAME_MIN_LENGTH, USERNAME_MAX_LENGTH)
  @Matches(USERNAME_PATTERN)
  username!: string;
}

export class FriendRequestIdDto {
  @IsMongoId()
  requestId!: string;
}

export class RemoveContactDto {
  @IsMongoId()
  contactId!: string;
}

export class BlockUserDto {
  @IsMongoId()
  userId!: string;
}

/** Route parameter holding a user id (`DELETE /api/blocks/:userId`). */
export class UserIdParam {
  @IsMongoId()
  userId!: string;
}

/** `PUT /api/contacts/:contactId/settings`: your own settings for one contact. */
export class ContactSettingsDto {
  /** Muted: no desktop notification or sound for this contact; unread badges still count. */
  @IsBoolean()
  muted!: boolean;
}

/** Route parameter holding a contact's user id. */
export class ContactIdParam {
  @IsMongoId()
  contactId!: string;
}

/** Generic `:id` route parameter. */
export class IdParam {
  @IsMongoId()
  id!: string;
}
