import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import { Link, useParams } from 'react-router';
import type { ContactInfo } from '@natter/contracts/client';
import { useApi, useCurrentUser } from '../../app/auth-context';
import { errorMessage } from '../../lib/errors';
import { useNow } from '../../lib/hooks';
import { Avatar } from '../../ui/Avatar';
import { ContactActions } from '../contacts/ContactActions';
import { presenceText, usePresenceKnown } from '../contacts/ContactsList';
import { useContacts } from '../contacts/useContacts';
import { useShowConversation, useWindowAttentive } from './active-conversation';
import { loadOlder } from './chat-actions';
import { Composer } from './Composer';
import { MessageActionsContext } from './message-actions-context';
import { MessageList } from './MessageList';
import { useConversationActions } from './useConversationActions';
import { useIsTyping } from './typing-store';
import { useChatActions, useMarkRead } from './useChatWrites';
import { useConversation } from './useConversation';
import { useImageAttachment, useImageDrop } from './useImageAttachment';
import { useUnreadDivider } from './useUnreadDivider';

/** Who the conversation is with: name, presence (or typing) and the contact's menu. */
function ConversationHeader({ contact }: { contact: ContactInfo }) {
  const typing = useIsTyping(contact.id);
  const now = useNow();
  const presenceKnown = usePresenceKnown();
  return (
    <header className="conversation-header">
      <Link
        to="/chat"
        className="icon-button back-button"
        aria-label="Back to contacts"
        data-testid="back-to-contacts"
      >
        <span aria-hidden="true">←</span>
      </Link>
      <Avatar name={contact.username} online={presenceKnown ? contact.online : undefined} />
      <div className="conversation-heading">
        <h1
          id="conversation-title"
          className="conversation-title"
          data-testid="conversation-title"
          title={contact.username}
        >
          {contact.username}
        </h1>
        <p className="conversation-subtitle" data-testid="conversation-presence">
          {typing ? '' : presenceText(contact, now, presenceKnown)}
        </p>
        <p
          className="typing-indicator"
          role="status"
          aria-live="polite"
          data-testid="typing-region"
        >
          {typing && <span data-testid="typing-indicator">{contact.username} is typing…</span>}
        </p>
      </div>
      <ContactActions contact={contact} testId="pane-contact-menu" />
    </header>
  );
}

/**
 * One conversation: the layout, wired to hooks that each do one job — history
 * (useConversation), being on screen and read (useShowConversation, useMarkRead), writes
 * (useChatActions), message actions (useConversationActions) and the image being attached
 * (useImageAttachment, useImageDrop).
 */
function Conversation({ contact }: { contact: ContactInfo }) {
  const contactId = contact.id;
  const me = useCurrentUser();
  const api = useApi();
  const queryClient = useQueryClient();
  const actions = useChatActions();
  const attentive = useWindowAttentive();
  const { data: state, error, isPending, refetch } = useConversation(contactId, true);
  // Until the list has laid out, nothing counts as seen (it may open at the unread divider).
  const [atBottom, setAtBottom] = useState(false);
  const unreadFromSeq = useUnreadDivider(state, contact.unreadCount, me.id);
  const messageActions = useConversationActions(contactId, contact.username);
  const image = useImageAttachment();
  const drop = useImageDrop(image.pick);

  useShowConversation(contactId, atBottom);
  // Read when the newest message is on screen and the window has attention.
  useMarkRead(contact, state, atBottom && attentive);

  const onLoadOlder = useCallback(
    () => loadOlder(api, queryClient, contactId),
    [api, queryClient, contactId],
  );
  const onRetry = useCallback((key: string) => actions.retry(contactId, key), [actions, contactId]);
  const onDiscard = useCallback(
    (key: string) => actions.discard(contactId, key),
    [actions, contactId],
  );

  function sendImage() {
    const attachment = image.take();
    if (!attachment) return;
    actions.sendImage(
      contactId,
      attachment.file,
      { width: attachment.width, height: attachment.height },
      attachment.caption?.trim() || undefined,
      messageActions.replyTo ?? undefined,
    );
    messageActions.clearReply();
  }

  return (
    <section
      className={drop.dragging ? 'conversation dragging' : 'conversation'}
      aria-labelledby="conversation-title"
      data-testid="conversation"
      data-contact-id={contactId}
      {...drop.handlers}
    >
      <ConversationHeader contact={contact} />

      {isPending && (
        <div className="pane-status" role="status">
          <span className="spinner" aria-hidden="true" /> Loading messages…
        </div>
      )}
      {error && !state && (
        <div className="pane-status" role="alert">
          {errorMessage(error)}{' '}
          <button type="button" className="link-button" onClick={() => void refetch()}>
            Try again
          </button>
        </div>
      )}
      <span id="message-menu-hint" hidden>
        Press Enter for message actions
      </span>
      {state && (
        <MessageActionsContext.Provider value={messageActions.context}>
          <MessageList
            state={state}
            myId={me.id}
            contactName={contact.username}
            loadOlder={onLoadOlder}
            onAtBottomChange={setAtBottom}
            onRetry={onRetry}
            onDiscard={onDiscard}
            unreadFromSeq={unreadFromSeq}
          />
        </MessageActionsContext.Provider>
      )}

      <Composer
        {...messageActions.composer}
        contactId={contactId}
        contactName={contact.username}
        attachment={image.attachment}
        attachError={image.error}
        onPickFile={image.pick}
        onAttachmentSize={image.setSize}
        onCaptionChange={image.setCaption}
        onCancelAttachment={image.cancel}
        onSendText={(text) =>
          messageActions.submitText(text, (body, replyTo) =>
            actions.sendText(contactId, body, replyTo),
          )
        }
        onSendImage={sendImage}
      />
      {drop.dragging && (
        <div className="drop-overlay" aria-hidden="true">
          Drop an image to attach it
        </div>
      )}
    </section>
  );
}

/** /chat/:contactId — the conversation with one contact (or why there is none). */
export function ConversationPane() {
  const { contactId = '' } = useParams();
  const { data: contacts, isPending } = useContacts();
  const contact = contacts?.find((c) => c.id === contactId);

  if (isPending) {
    return (
      <div className="pane-status" role="status">
        <span className="spinner" aria-hidden="true" /> Loading…
      </div>
    );
  }
  if (!contact) {
    return (
      <div className="empty-pane" data-testid="not-a-contact">
        <p>This person is not in your contacts.</p>
        <Link to="/chat">Back to your contacts</Link>
      </div>
    );
  }
  return <Conversation key={contact.id} contact={contact} />;
}
