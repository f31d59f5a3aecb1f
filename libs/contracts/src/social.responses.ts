import { IsBoolean, IsIn, IsInt, IsMongoId, IsString, Min } from 'class-validator';
import { MessagePreview } from './messages.responses';
import {
  Nested,
  NestedArray,
  NullableNested,
  NullableTimestamp,
  Timestamp,
} from './schema-decorators';

export const RELATIONSHIPS = ['none', 'contact', 'outgoing', 'incoming'] as const;
/** How a search result relates to the searcher. */
export type Relationship = (typeof RELATIONSHIPS)[number];

export class UserSummary {
  @IsMongoId()
  id!: string;

  @IsString()
  username!: string;
}

export class SearchResult extends UserSummary {
  @IsIn(RELATIONSHIPS)
  relationship!: Relationship;
}

/** `GET /api/users/search`. */
export class SearchUsersResponse {
  @NestedArray(() => SearchResult)
  users!: SearchResult[];
}

export class FriendRequestInfo {
  @IsMongoId()
  id!: string;

  @Nested(() => UserSummary)
  sender!: UserSummary;

  @Nested(() => UserSummary)
  recipient!: UserSummary;

  @Timestamp()
  sentAt!: string;
}

export class IncomingRequest {
  @IsMongoId()
  id!: string;

  @Nested(() => UserSummary)
  sender!: UserSummary;

  @Timestamp()
  sentAt!: string;
}

export class OutgoingRequest {
  @IsMongoId()
  id!: string;

  @Nested(() => UserSummary)
  recipient!: UserSummary;

  @Timestamp()
  sentAt!: string;
}

/** `GET /api/friend-requests/pending`: incoming, newest first. */
export class PendingRequestsResponse {
  @NestedArray(() => IncomingRequest)
  requests!: IncomingRequest[];
}

/** `GET /api/friend-requests/sent`. */
export class SentRequestsResponse {
  @NestedArray(() => OutgoingRequest)
  requests!: OutgoingRequest[];
}

/** The newest message of a conversation, for the contacts list. */
export class LastMessageSummary extends MessagePreview {
  @Timestamp()
  createdAt!: string;
}

export class ContactInfo {
  @IsMongoId()
  id!: string;

  @IsString()
  username!: string;

  @IsBoolean()
  online!: boolean;

  @NullableTimestamp()
  lastSeen!: string | null;

  @IsInt()
  @Min(0)
  unreadCount!: number;

  @NullableNested(() => LastMessageSummary)
  lastMessage!: LastMessageSummary | null;

  @Timestamp()
  since!: string;

  /** Your own setting for this contact (never shown to them). */
  @IsBoolean()
  muted!: boolean;
}

/** `GET /api/contacts`: latest activity first. */
export class ContactsResponse {
  @NestedArray(() => ContactInfo)
  contacts!: ContactInfo[];
}

/** `POST /api/friend-requests/send` when a request was sent (201). */
export class FriendRequestResponse {
  @Nested(() => FriendRequestInfo)
  request!: FriendRequestInfo;
}

/** `POST /api/friend-requests/accept`, and `send` when they had already asked you (200). */
export class ContactResponse {
  @Nested(() => ContactInfo)
  contact!: ContactInfo;
}

/** `POST /api/friend-requests/send`: a request (201), or a contact when theirs was accepted (200). */
export type SendFriendRequestResponse = Partial<FriendRequestResponse> & Partial<ContactResponse>;

export class BlockedUser extends UserSummary {
  @Timestamp()
  blockedAt!: string;
}

/** `GET /api/blocks`: newest first. */
export class BlocksResponse {
  @NestedArray(() => BlockedUser)
  blocks!: BlockedUser[];
}

/** `POST /api/blocks` (201). */
export class BlockResponse {
  @Nested(() => BlockedUser)
  block!: BlockedUser;
}

/** The `{}` that some actions answer with. */
export type EmptyResponse = Record<string, never>;
