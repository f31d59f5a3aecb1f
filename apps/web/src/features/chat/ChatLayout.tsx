import { useEffect } from 'react';
import { Outlet, useParams } from 'react-router';
import { useContacts } from '../contacts/useContacts';
import { ConnectionBanner } from '../../app/ConnectionBanner';
import { MessageAnnouncer } from './MessageAnnouncer';
import { Sidebar } from './Sidebar';

/** Sidebar + conversation pane; on a phone-width screen only one of them shows at a time. */
/** "(3) Natter" in the tab title while messages are unread. */
function useUnreadTitle() {
  const { data: contacts } = useContacts();
  const unread = contacts?.reduce((sum, c) => sum + c.unreadCount, 0) ?? 0;
  useEffect(() => {
    document.title = unread > 0 ? `(${unread > 99 ? '99+' : unread}) Natter` : 'Natter';
    return () => {
      document.title = 'Natter';
    };
  }, [unread]);
}

export function ChatLayout() {
  const { contactId } = useParams();
  useUnreadTitle();
  return (
    <div
      className={contactId ? 'chat-layout has-conversation' : 'chat-layout'}
      data-testid="chat-layout"
    >
      <ConnectionBanner />
      <MessageAnnouncer />
      <Sidebar />
      <main className="pane" id="main">
        <Outlet />
      </main>
    </div>
  );
}

export function NoConversation() {
  return (
    <div className="empty-pane" data-testid="no-conversation">
      <h1 className="empty-title">Natter</h1>
      <p className="muted">Pick a contact to start chatting, or search for someone to add.</p>
    </div>
  );
}
