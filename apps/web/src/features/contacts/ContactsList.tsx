import { NavLink } from 'react-router';
import type { ContactInfo } from '@natter/contracts/client';
import { useCurrentUser } from '../../app/auth-context';
import { useConnection } from '../../app/socket-context';
import { errorMessage } from '../../lib/errors';
import { useNow } from '../../lib/hooks';
import { formatLastSeen } from '../../lib/time';
import { Avatar } from '../../ui/Avatar';
import { BellIcon } from '../../ui/icons';
import { ContactActions } from './ContactActions';
import { previewText } from './contacts-cache';
import { useContacts } from './useContacts';

/**
 * Presence as shown. `known` is false while this client is itself disconnected: the flags it
 * holds may be stale (nobody can tell it who went offline), so it claims nothing.
 */
export function presenceText(contact: ContactInfo, now: number, known = true): string {
  if (!known) return 'status unknown';
  return contact.online ? 'online' : formatLastSeen(contact.lastSeen, now);
}

/** Presence is known only while our own socket is connected. */
export function usePresenceKnown(): boolean {
  return useConnection().status === 'connected';
}

function ContactItem({
  contact,
  myId,
  now,
  presenceKnown,
}: {
  contact: ContactInfo;
  myId: string;
  now: number;
  presenceKnown: boolean;
}) {
  const unread = contact.unreadCount;
  return (
    <li
      className="contact-item"
      data-testid="contact-item"
      data-contact-id={contact.id}
      data-username={contact.username}
    >
      <NavLink
        to={`/chat/${contact.id}`}
        className={({ isActive }) => (isActive ? 'contact-link active' : 'contact-link')}
        data-testid="contact-link"
      >
        <Avatar name={contact.username} online={presenceKnown ? contact.online : undefined} />
        <span className="contact-text">
          <span className="contact-row">
            <span className="contact-name" data-testid="contact-name" title={contact.username}>
              {contact.username}
            </span>
            {contact.muted && (
              <span
                className="muted-icon"
                data-testid="muted-indicator"
                title="Muted"
                role="img"
                aria-label="Muted"
              >
                <BellIcon off size={14} />
              </span>
            )}
            <span
              className={presenceKnown ? 'contact-presence' : 'contact-presence unknown'}
              data-testid="contact-presence"
              data-known={presenceKnown ? 'true' : 'false'}
            >
              {presenceText(contact, now, presenceKnown)}
            </span>
          </span>
          <span className="contact-row">
            <span
              className={unread > 0 ? 'contact-preview unread' : 'contact-preview'}
              data-testid="contact-preview"
            >
              {previewText(contact, myId)}
            </span>
            {unread > 0 && (
              <span
                className="badge"
                data-testid="unread-badge"
                aria-label={`${unread} unread ${unread === 1 ? 'message' : 'messages'}`}
              >
                {unread > 99 ? '99+' : unread}
              </span>
            )}
          </span>
        </span>
      </NavLink>
      <ContactActions contact={contact} />
    </li>
  );
}

export function ContactsList() {
  const me = useCurrentUser();
  const now = useNow();
  const { data: contacts, isPending, error, refetch } = useContacts();
  const presenceKnown = usePresenceKnown();

  return (
    <section className="sidebar-section contacts-section" aria-labelledby="contacts-heading">
      <h2 id="contacts-heading" className="section-title">
        Contacts
      </h2>
      {isPending && <p className="muted">Loading contacts…</p>}
      {error && (
        <p className="form-error" role="alert">
          {errorMessage(error)}{' '}
          <button type="button" className="link-button" onClick={() => void refetch()}>
            Try again
          </button>
        </p>
      )}
      {contacts && contacts.length === 0 && (
        <p className="muted" data-testid="no-contacts">
          No contacts yet. Search for someone above to send a request.
        </p>
      )}
      {contacts && contacts.length > 0 && (
        <ul className="contact-list" aria-label="Contacts" data-testid="contacts-list">
          {contacts.map((contact) => (
            <ContactItem
              key={contact.id}
              contact={contact}
              myId={me.id}
              now={now}
              presenceKnown={presenceKnown}
            />
          ))}
        </ul>
      )}
    </section>
  );
}
