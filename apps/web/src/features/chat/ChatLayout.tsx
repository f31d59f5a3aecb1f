import { Outlet, useParams } from 'react-router';
import { ConnectionBanner } from '../../app/ConnectionBanner';
import { useUnreadIndicators } from '../notifications/useUnreadIndicators';
import { MessageAnnouncer } from './MessageAnnouncer';
import { Sidebar } from './Sidebar';

/** Sidebar + conversation pane; on a phone-width screen only one of them shows at a time. */
export function ChatLayout() {
  const { contactId } = useParams();
  useUnreadIndicators();
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
