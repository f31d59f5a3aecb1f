import { Link } from 'react-router';
import { useCurrentUser } from '../../app/auth-context';
import { ConnectionBanner } from '../../app/ConnectionBanner';
import { ThemeToggle } from '../../ui/ThemeToggle';
import { LogoutButton } from '../chat/Sidebar';
import { BlockedUsersSection } from './BlockedUsersSection';
import { ChangePasswordSection } from './ChangePasswordSection';
import { DeleteAccountSection } from './DeleteAccountSection';
import { SessionsSection } from './SessionsSection';
import { TwoFactorSection } from './TwoFactorSection';

export function SettingsPage() {
  const me = useCurrentUser();
  return (
    <div className="settings-page" data-testid="settings-page">
      <ConnectionBanner />
      <header className="settings-header">
        <Link to="/chat" className="button button-small" data-testid="back-to-chat">
          <span aria-hidden="true">← </span>Back to chat
        </Link>
        <span className="settings-user">
          Signed in as <strong data-testid="current-username">{me.username}</strong>
        </span>
        <span className="header-actions">
          <ThemeToggle />
          <LogoutButton />
        </span>
      </header>
      <main className="settings-main">
        <h1>Settings</h1>
        <SessionsSection />
        <ChangePasswordSection />
        <TwoFactorSection />
        <BlockedUsersSection />
        <DeleteAccountSection />
      </main>
    </div>
  );
}
