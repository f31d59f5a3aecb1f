import { useEffect } from 'react';
import { useContacts } from '../contacts/useContacts';
import { applyUnreadIndicators } from './unread-indicators';

/** Keeps the title and favicon on the total unread count (muted contacts included). */
export function useUnreadIndicators(): void {
  const { data: contacts } = useContacts();
  const total = contacts?.reduce((sum, c) => sum + c.unreadCount, 0) ?? 0;
  useEffect(() => {
    applyUnreadIndicators(total);
  }, [total]);
  useEffect(() => () => applyUnreadIndicators(0), []);
}
