import type { ErrorCode } from './error-codes';
import type {
  DeleteMessagePayload,
  EditMessagePayload,
  MessageHiddenEvent,
  MessageUpdatedEvent,
  ReactPayload,
} from './message-actions';
import type { MessageInfo } from './messages';
import type { ContactInfo, FriendRequestInfo } from './social';

export interface AckError {
  ok: false;
  error: { code: ErrorCode; message: string };
}

export type Ack<T extends object = object> = ({ ok: true } & T) | AckError;

export interface SendPrivateMessagePayload {
  recipientId: string;
  text: string;
  clientId: string;
  replyToId?: string;
}

export interface LoadConversationPayload {
  contactId: string;
  before?: number;
}

export interface MarkReadPayload {
  contactId: string;
  seq: number;
}

export interface TypingPayload {
  contactId: string;
  isTyping: boolean;
}

/** Events a client may emit; each takes an acknowledgement callback. */
export interface ClientToServerEvents {
  send_private_message: (
    payload: SendPrivateMessagePayload,
    ack: (response: Ack<{ message: MessageInfo }>) => void,
  ) => void;
  load_conversation: (
    payload: LoadConversationPayload,
    ack: (
      response: Ack<{
        messages: MessageInfo[];
        hasMore: boolean;
        peerLastReadSeq: number;
        cursor: string;
      }>,
    ) => void,
  ) => void;
  mark_read: (payload: MarkReadPayload, ack: (response: Ack) => void) => void;
  typing: (payload: TypingPayload, ack?: (response: Ack) => void) => void;
  edit_message: (
    payload: EditMessagePayload,
    ack: (response: Ack<{ message: MessageInfo }>) => void,
  ) => void;
  delete_message: (payload: DeleteMessagePayload, ack: (response: Ack) => void) => void;
  react: (payload: ReactPayload, ack: (response: Ack<{ message: MessageInfo }>) => void) => void;
}

export interface NewMessageEvent {
  message: MessageInfo;
}
export interface ConversationLoadedEvent {
  contactId: string;
  messages: MessageInfo[];
  hasMore: boolean;
  peerLastReadSeq: number;
  cursor: string;
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
