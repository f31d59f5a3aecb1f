import { NavLink } from 'react-router';
import type { ContactInfo } from '@natter/contracts/client';
import { useCurrentUser } from '../../app/auth-context';
import { errorMessage } from '../../lib/errors';
import { useNow } from '../../lib/hooks';
import { formatLastSeen } from '../../lib/time';
import { Avatar } from '../../ui/Avatar';
import { ContactActions } from './ContactActions';
import { previewText } from './contacts-cache';
import { useContacts } from './useContacts';

export function presenceText(contact: ContactInfo, now: number): string {
  return contact.online ? 'online' : formatLastSeen(contact.lastSeen, now);
}

function ContactItem({ contact, myId, now }: { contact: ContactInfo; myId: string; now: number }) {
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
        <Avatar name={contact.username} online={contact.online} />
        <span className="contact-text">
          <span className="contact-row">
            <span className="contact-name" data-testid="contact-name">
              {contact.username}
            </span>
            <span className="contact-presence" data-testid="contact-presence">
              {presenceText(contact, now)}
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
            <ContactItem key={contact.id} contact={contact} myId={me.id} now={now} />
          ))}
        </ul>
      )}
    </section>
  );
}
