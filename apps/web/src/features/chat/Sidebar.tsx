import { Link } from 'react-router';
import { useAuth, useCurrentUser } from '../../app/auth-context';
import { Avatar } from '../../ui/Avatar';
import { LogoutIcon } from '../../ui/icons';
import { ThemeToggle } from '../../ui/ThemeToggle';
import { ContactsList } from '../contacts/ContactsList';
import { NotificationsMenu } from '../notifications/NotificationsMenu';
import { IncomingRequests, SentRequests } from '../requests/RequestLists';
import { UserSearch } from '../requests/UserSearch';

export function LogoutButton({
  className = 'button button-small',
  iconOnly = false,
}: {
  className?: string;
  /** In the crowded sidebar header: an icon, so the user's name keeps its room. */
  iconOnly?: boolean;
}) {
  const { store } = useAuth();
  return (
    <button
      type="button"
      className={iconOnly ? 'icon-button' : className}
      onClick={() => void store.logout()}
      aria-label={iconOnly ? 'Log out' : undefined}
      title={iconOnly ? 'Log out' : undefined}
      data-testid="logout-button"
    >
      {iconOnly ? <LogoutIcon /> : 'Log out'}
    </button>
  );
}

export function Sidebar() {
  const me = useCurrentUser();
  return (
    <aside className="sidebar" aria-label="Contacts and requests" data-testid="sidebar">
      <header className="sidebar-header">
        <div className="me">
          <Avatar name={me.username} />
          <span className="me-name" data-testid="current-username" title={me.username}>
            {me.username}
          </span>
        </div>
        <nav className="header-actions" aria-label="Account">
          <NotificationsMenu />
          <ThemeToggle />
          <Link
            to="/settings"
            className="icon-button"
            aria-label="Settings"
            title="Settings"
            data-testid="settings-link"
          >
            <span aria-hidden="true">⚙</span>
          </Link>
          <LogoutButton iconOnly />
        </nav>
      </header>
      <div className="sidebar-scroll">
        <UserSearch />
        <IncomingRequests />
        <SentRequests />
        <ContactsList />
      </div>
    </aside>
  );
}
