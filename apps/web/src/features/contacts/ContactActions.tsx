import { useState } from 'react';
import type { ContactInfo } from '@natter/contracts/client';
import { useNavigate } from 'react-router';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { Menu } from '../../ui/Menu';
import { useToast } from '../../ui/toast-context';
import { getActiveConversation } from '../chat/active-conversation';
import { useSetMuted } from './useContactSettings';
import { useBlockUser, useRemoveContact } from './useContacts';

type Pending = 'remove' | 'block' | null;

/** "⋮" menu: Mute/Unmute, and Remove contact and Block, each behind a confirmation dialog. */
export function ContactActions({
  contact,
  testId,
}: {
  contact: Pick<ContactInfo, 'id' | 'username' | 'muted'>;
  testId?: string;
}) {
  const [pending, setPending] = useState<Pending>(null);
  const removeContact = useRemoveContact();
  const blockUser = useBlockUser();
  const setMuted = useSetMuted();
  const navigate = useNavigate();
  const toast = useToast();

  function leaveIfOpen() {
    if (getActiveConversation().contactId === contact.id) navigate('/chat', { replace: true });
  }

  return (
    <>
      <Menu
        label={`Actions for ${contact.username}`}
        testId={testId ?? 'contact-menu'}
        items={[
          {
            label: contact.muted ? 'Unmute notifications' : 'Mute notifications',
            onSelect: () =>
              setMuted.mutate(
                { contactId: contact.id, muted: !contact.muted },
                {
                  onSuccess: ({ contact: updated }) =>
                    toast.show(
                      updated.muted
                        ? `${contact.username} is muted: no notifications or sound`
                        : `Notifications from ${contact.username} are back on`,
                    ),
                  onError: () => toast.show('Could not change the mute setting', 'error'),
                },
              ),
            testId: 'mute-contact',
          },
          {
            label: 'Remove contact',
            onSelect: () => setPending('remove'),
            testId: 'remove-contact',
          },
          {
            label: 'Block',
            onSelect: () => setPending('block'),
            danger: true,
            testId: 'block-contact',
          },
        ]}
      />
      {pending === 'remove' && (
        <ConfirmDialog
          title={`Remove ${contact.username}?`}
          confirmLabel="Remove contact"
          destructive
          onClose={() => setPending(null)}
          onConfirm={async () => {
            await removeContact.mutateAsync(contact.id);
            leaveIfOpen();
            toast.show(`${contact.username} was removed from your contacts`);
          }}
        >
          <p>Your conversation with {contact.username} will be deleted for both of you.</p>
        </ConfirmDialog>
      )}
      {pending === 'block' && (
        <ConfirmDialog
          title={`Block ${contact.username}?`}
          confirmLabel="Block"
          destructive
          onClose={() => setPending(null)}
          onConfirm={async () => {
            await blockUser.mutateAsync(contact.id);
            leaveIfOpen();
            toast.show(`${contact.username} is blocked`);
          }}
        >
          <p>
            {contact.username} will be removed from your contacts and can no longer find you, see
            when you are online or message you. You can unblock them in Settings.
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}
