import type { ErrorCode } from './error-codes';
import type { DeleteMessageEventDto, EditMessageEventDto, ReactEventDto } from './message-actions';
import type {
  LoadConversationDto,
  MarkReadEventDto,
  SendPrivateMessageDto,
  TypingDto,
} from './messages';
import type { HistoryResponse, MessageResponse } from './messages.responses';
import type { ContactInfo, FriendRequestInfo } from './social.responses';

export interface AckError {
  ok: false;
  error: { code: ErrorCode; message: string };
}

export type Ack<T extends object = object> = ({ ok: true } & T) | AckError;

/*
 * Client event payloads are the DTO classes the gateway validates them with (type-only
 * imports: the classes' validation runtime never reaches a client that uses these types).
 */
export type SendPrivateMessagePayload = SendPrivateMessageDto;
export type LoadConversationPayload = LoadConversationDto;
export type MarkReadPayload = MarkReadEventDto;
export type TypingPayload = TypingDto;
export type EditMessagePayload = EditMessageEventDto;
export type DeleteMessagePayload = DeleteMessageEventDto;
export type ReactPayload = ReactEventDto;

/** What each client event acknowledges with, besides `ok` (see the gateway). */
export type SendPrivateMessageAck = Ack<MessageResponse>;
export type LoadConversationAck = Ack<HistoryResponse>;
export type MarkReadAck = Ack;
export type TypingAck = Ack;
export type EditMessageAck = Ack<MessageResponse>;
export type DeleteMessageAck = Ack;
export type ReactAck = Ack<MessageResponse>;

/** Events a client may emit; each takes an acknowledgement callback. */
export interface ClientToServerEvents {
  send_private_message: (
    payload: SendPrivateMessagePayload,
    ack: (response: SendPrivateMessageAck) => void,
  ) => void;
  load_conversation: (
    payload: LoadConversationPayload,
    ack: (response: LoadConversationAck) => void,
  ) => void;
  mark_read: (payload: MarkReadPayload, ack: (response: MarkReadAck) => void) => void;
  typing: (payload: TypingPayload, ack?: (response: TypingAck) => void) => void;
  edit_message: (payload: EditMessagePayload, ack: (response: EditMessageAck) => void) => void;
  delete_message: (
    payload: DeleteMessagePayload,
    ack: (response: DeleteMessageAck) => void,
  ) => void;
  react: (payload: ReactPayload, ack: (response: ReactAck) => void) => void;
}

export type NewMessageEvent = MessageResponse;
/** Also sent to the asking socket on `load_conversation`: the same page as its ack. */
export interface ConversationLoadedEvent extends HistoryResponse {
  contactId: string;
}
export interface MessageReadEvent {
  contactId: string;
  readerId: string;
  seq: number;
}
export interface TypingEvent {
  userId: string;
  isTyping: boolean;
}
export interface PresenceEvent {
  userId: string;
  online: boolean;
  lastSeen: string | null;
}
/** Sent to a user's own sockets when their unread count for a contact changes (other tabs). */
export interface UnreadUpdatedEvent {
  contactId: string;
  unreadCount: number;
  lastReadSeq: number;
}

/** An edit, deletion or reaction: the message's whole current state. */
export type MessageUpdatedEvent = MessageResponse;
export interface MessageHiddenEvent {
  contactId: string;
  messageId: string;
}

export interface ServerToClientEvents {
  new_message: (event: NewMessageEvent) => void;
  message_sent: (event: NewMessageEvent) => void;
  conversation_loaded: (event: ConversationLoadedEvent) => void;
  message_read: (event: MessageReadEvent) => void;
  unread_updated: (event: UnreadUpdatedEvent) => void;
  typing: (event: TypingEvent) => void;
  presence: (event: PresenceEvent) => void;
  friend_request_received: (event: { request: FriendRequestInfo }) => void;
  friend_request_accepted: (event: { contact: ContactInfo }) => void;
  friend_request_cancelled: (event: { requestId: string }) => void;
  friend_request_rejected: (event: { requestId: string }) => void;
  contact_removed: (event: { userId: string }) => void;
  contacts_updated: (event: { contacts: ContactInfo[] }) => void;
  /** Your settings for a contact changed (from any of your tabs or devices). */
  contact_settings_updated: (event: { contact: ContactInfo }) => void;
  session_revoked: (event: { sessionId: string }) => void;
  /**
   * The server's link to the other API processes (Redis) was interrupted and is back:
   * deliveries from other processes may have been missed, so the client catches up exactly
   * as after a reconnect of its own.
   */
  resync: (event: { reason: 'redis-recovered' }) => void;
  /** An edit, deletion or reaction: the message's whole current state. */
  message_updated: (event: MessageUpdatedEvent) => void;
  /** You hid this message ("delete for me") on one of your devices. */
  message_hidden: (event: MessageHiddenEvent) => void;
}

export type ServerEventName = keyof ServerToClientEvents;
export type ServerEventPayload<E extends ServerEventName> = Parameters<ServerToClientEvents[E]>[0];
