import { useQueryClient } from '@tanstack/react-query';
import type { ContactInfo } from '@natter/contracts/client';
import { useNavigate } from 'react-router';
import { useCurrentUser } from '../../app/auth-context';
import { useSocketEvent } from '../../app/socket-context';
import { queryKeys } from '../../lib/query-keys';
import { showDesktopNotice } from './notifier';

const BODY_MAX = 120;

/**
 * Desktop notifications for incoming messages and contact requests while this page is hidden
 * or unfocused. My own messages (sent from another tab or device) and muted contacts never
 * notify; unread badges are counted elsewhere and do not depend on this.
 */
export function useDesktopNotifications(): void {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const me = useCurrentUser();

  useSocketEvent('new_message', ({ message }) => {
    if (message.senderId === me.id) return;
    const contact = queryClient
      .getQueryData<ContactInfo[]>(queryKeys.contacts)
      ?.find((c) => c.id === message.senderId);
    if (!contact || contact.muted) return;
    const text = message.text ?? '';
    const body = message.type === 'image' ? (text ? `📷 ${text}` : '📷 Photo') : text;
    showDesktopNotice({
      title: contact.username,
      body: body.length > BODY_MAX ? `${body.slice(0, BODY_MAX - 1)}…` : body,
      tag: `message-${message.id}`,
      onClick: () => navigate(`/chat/${message.senderId}`),
    });
  });

  useSocketEvent('friend_request_received', ({ request }) => {
    showDesktopNotice({
      title: 'New contact request',
      body: `${request.sender.username} wants to add you`,
      tag: `request-${request.id}`,
      onClick: () => navigate('/chat'),
    });
  });
}
