import type { ReactNode } from 'react';
import { ThemeToggle } from '../../ui/ThemeToggle';

export function AuthLayout({ children }: { children: ReactNode }) {
  return (
    <div className="auth-page">
      <header className="auth-header">
        <span className="brand" aria-hidden="true">
          Natter
        </span>
        <ThemeToggle />
      </header>
      <main className="auth-main">
        <div className="auth-card">{children}</div>
      </main>
    </div>
  );
}
