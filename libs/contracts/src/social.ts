import { Transform } from 'class-transformer';
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
import type { MessageInfo } from './messages';

export type Relationship = 'none' | 'contact' | 'outgoing' | 'incoming';

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

/** Trims strings coming from query strings (kept here so both sides agree). */
export const trimString = Transform(({ value }) =>
  typeof value === 'string' ? value.trim() : value,
);

export interface UserSummary {
  id: string;
  username: string;
}

export interface SearchResult extends UserSummary {
  relationship: Relationship;
}

export interface SearchUsersResponse {
  users: SearchResult[];
}

export interface FriendRequestInfo {
  id: string;
  sender: UserSummary;
  recipient: UserSummary;
  sentAt: string;
}

export interface IncomingRequest {
  id: string;
  sender: UserSummary;
  sentAt: string;
}

export interface OutgoingRequest {
  id: string;
  recipient: UserSummary;
  sentAt: string;
}

export interface PendingRequestsResponse {
  requests: IncomingRequest[];
}

export interface SentRequestsResponse {
  requests: OutgoingRequest[];
}

export interface LastMessageSummary {
  seq: number;
  senderId: string;
  type: 'text' | 'image';
  /** Text preview (truncated); absent for images. */
  text?: string;
  createdAt: string;
  /** The newest message was deleted for everyone. */
  deleted?: true;
}

export interface ContactInfo {
  id: string;
  username: string;
  online: boolean;
  lastSeen: string | null;
  unreadCount: number;
  lastMessage: LastMessageSummary | null;
  since: string;
  /** Your own setting for this contact (never shown to them). */
  muted: boolean;
}

export interface ContactsResponse {
  contacts: ContactInfo[];
}

export interface SendFriendRequestResponse {
  request?: FriendRequestInfo;
  contact?: ContactInfo;
}

export interface ContactResponse {
  contact: ContactInfo;
}

export interface BlockedUser extends UserSummary {
  blockedAt: string;
}

export interface BlocksResponse {
  blocks: BlockedUser[];
}

export type { MessageInfo };

/** `POST /api/blocks` (201). */
export interface BlockResponse {
  block: BlockedUser;
}
