// Over 300 lines: the `Conversation` component still wires history, catch-up, read marking,
// sends and message actions together; splitting it into hooks is planned with the web clean-up.
import { useQueryClient } from '@tanstack/react-query';
import {
  useCallback,
  useEffect,
  useRef,
  useState,
  type ClipboardEvent,
  type DragEvent,
} from 'react';
import { Link, useParams } from 'react-router';
import type { ContactInfo } from '@natter/contracts/client';
import { useApi, useCurrentUser } from '../../app/auth-context';
import { useConnection } from '../../app/socket-context';
import { errorMessage } from '../../lib/errors';
import { useNow } from '../../lib/hooks';
import { queryKeys } from '../../lib/query-keys';
import { Avatar } from '../../ui/Avatar';
import { ContactActions } from '../contacts/ContactActions';
import { presenceText, usePresenceKnown } from '../contacts/ContactsList';
import { setUnreadCount } from '../contacts/contacts-cache';
import { useContacts } from '../contacts/useContacts';
import {
  clearActiveConversation,
  setActiveConversation,
  useWindowAttentive,
} from './active-conversation';
import { loadOlder } from './chat-actions';
import { Composer, type Attachment } from './Composer';
import { latestSeq, type ConversationState } from './conversation-state';
import { checkImageContent } from './image-sniffing';
import { validateImageFile } from './image-validation';
import { MessageActionsContext } from './message-actions-context';
import { MessageList } from './MessageList';
import { useConversationActions } from './useConversationActions';
import { useIsTyping } from './typing-store';
import { useChatActions } from './useChatActions';
import { useConversation } from './useConversation';
import { useUnreadDivider } from './useUnreadDivider';

function latestIncomingSeq(state: ConversationState, myId: string): number {
  for (let i = state.messages.length - 1; i >= 0; i--) {
    const m = state.messages[i];
    if (m.seq !== null && m.senderId !== myId) return m.seq;
  }
  return 0;
}

function imageFrom(
  items: DataTransferItemList | null | undefined,
  files: FileList | null | undefined,
): File | null {
  if (files && files.length > 0) return files[0];
  if (items) {
    for (const item of Array.from(items)) {
      if (item.kind === 'file') {
        const file = item.getAsFile();
        if (file) return file;
      }
    }
  }
  return null;
}

function Conversation({ contact }: { contact: ContactInfo }) {
  const contactId = contact.id;
  const me = useCurrentUser();
  const api = useApi();
  const queryClient = useQueryClient();
  const { socket, status } = useConnection();
  const actions = useChatActions();
  const attentive = useWindowAttentive();
  const typing = useIsTyping(contactId);
  const now = useNow();
  const presenceKnown = usePresenceKnown();
  const { data: state, error, isPending, refetch } = useConversation(contactId, true);
  // Until the list has laid out, nothing counts as seen (it may open at the unread divider).
  const [atBottom, setAtBottom] = useState(false);
  const [attachment, setAttachment] = useState<Attachment | null>(null);
  const [attachError, setAttachError] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const markedSeq = useRef(0);
  const unreadFromSeq = useUnreadDivider(state, contact.unreadCount, me.id);
  const messageActions = useConversationActions(contactId, contact.username);
  const attachmentRef = useRef<Attachment | null>(null);

  useEffect(() => {
    setActiveConversation({ contactId, atBottom });
  }, [contactId, atBottom]);
  useEffect(() => () => clearActiveConversation(contactId), [contactId]);

  // The preview URL belongs to this pane until the image is sent or dropped.
  useEffect(() => {
    attachmentRef.current = attachment;
  }, [attachment]);
  useEffect(
    () => () => {
      if (attachmentRef.current) URL.revokeObjectURL(attachmentRef.current.previewUrl);
    },
    [],
  );

  // Read when the newest message is on screen and the window has attention.
  const latest = state ? latestSeq(state) : null;
  const latestIncoming = state ? latestIncomingSeq(state, me.id) : 0;
  const unread = contact.unreadCount;
  useEffect(() => {
    if (!socket || status !== 'connected' || latest === null || !atBottom || !attentive) return;
    if (latestIncoming <= markedSeq.current && unread === 0) return;
    const seq = latest;
    markedSeq.current = seq;
    queryClient.setQueryData<ContactInfo[]>(queryKeys.contacts, (l) =>
      setUnreadCount(l, contactId, 0),
    );
    socket.emit('mark_read', { contactId, seq }, (response) => {
      if (!response.ok && markedSeq.current === seq) markedSeq.current = 0;
    });
  }, [socket, status, latest, latestIncoming, unread, atBottom, attentive, contactId, queryClient]);

  const onLoadOlder = useCallback(
    () => loadOlder(api, queryClient, contactId),
    [api, queryClient, contactId],
  );
  const onRetry = useCallback((key: string) => actions.retry(contactId, key), [actions, contactId]);
  const onDiscard = useCallback(
    (key: string) => actions.discard(contactId, key),
    [actions, contactId],
  );

  async function pickFile(file: File) {
    const problem = validateImageFile(file) ?? (await checkImageContent(file));
    if (problem) {
      setAttachError(problem);
      return;
    }
    setAttachError(null);
    setAttachment((previous) => {
      if (previous) URL.revokeObjectURL(previous.previewUrl);
      return { file, previewUrl: URL.createObjectURL(file) };
    });
  }

  function cancelAttachment() {
    if (attachment) URL.revokeObjectURL(attachment.previewUrl);
    setAttachment(null);
    setAttachError(null);
  }

  function sendImage() {
    if (!attachment) return;
    actions.sendImage(
      contactId,
      attachment.file,
      { width: attachment.width, height: attachment.height },
      attachment.caption?.trim() || undefined,
      messageActions.replyTo ?? undefined,
    );
    messageActions.clearReply();
    URL.revokeObjectURL(attachment.previewUrl);
    setAttachment(null);
  }

  function onDragOver(event: DragEvent) {
    if (!Array.from(event.dataTransfer.types).includes('Files')) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
    if (!dragging) setDragging(true);
  }

  function onDragLeave(event: DragEvent) {
    if (event.currentTarget.contains(event.relatedTarget as Node | null)) return;
    setDragging(false);
  }

  function onDrop(event: DragEvent) {
    event.preventDefault();
    setDragging(false);
    const file = imageFrom(event.dataTransfer.items, event.dataTransfer.files);
    if (file) void pickFile(file);
  }

  function onPaste(event: ClipboardEvent) {
    const file = imageFrom(event.clipboardData.items, event.clipboardData.files);
    if (!file) return; // plain text pastes as usual
    event.preventDefault();
    void pickFile(file);
  }

  return (
    <section
      className={dragging ? 'conversation dragging' : 'conversation'}
      aria-labelledby="conversation-title"
      data-testid="conversation"
      data-contact-id={contactId}
      onDragOver={onDragOver}
      onDragLeave={onDragLeave}
      onDrop={onDrop}
      onPaste={onPaste}
    >
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
        attachment={attachment}
        attachError={attachError}
        onPickFile={(file) => void pickFile(file)}
        onAttachmentSize={(width, height) =>
          setAttachment((a) => (a ? { ...a, width, height } : a))
        }
        onCaptionChange={(caption) => setAttachment((a) => (a ? { ...a, caption } : a))}
        onCancelAttachment={cancelAttachment}
        onSendText={(text) =>
          messageActions.submitText(text, (body, replyTo) =>
            actions.sendText(contactId, body, replyTo),
          )
        }
        onSendImage={sendImage}
      />
      {dragging && (
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
