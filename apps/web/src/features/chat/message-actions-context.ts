import { createContext, useContext } from 'react';
import type { ChatMessage } from './conversation-state';

/** What a message bubble can ask its conversation to do (provided by ConversationPane). */
export interface MessageActionsApi {
  myId: string;
  contactName: string;
  reply(message: ChatMessage): void;
  startEdit(message: ChatMessage): void;
  react(message: ChatMessage, emoji: string | null): void;
  copy(message: ChatMessage): void;
  deleteForMe(message: ChatMessage): void;
  deleteForEveryone(message: ChatMessage): Promise<void>;
  /** Scrolls to a message, loading older pages until it is there. */
  jumpTo(messageId: string): void;
}

export const MessageActionsContext = createContext<MessageActionsApi | null>(null);

export function useMessageActions(): MessageActionsApi | null {
  return useContext(MessageActionsContext);
}
