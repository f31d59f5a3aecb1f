import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ContactInfo } from '@natter/contracts/client';
import { useApi } from '../../app/auth-context';
import { useSocketEvent } from '../../app/socket-context';
import { queryKeys } from '../../lib/query-keys';

/** Only the settings fields: counts and previews in the cache may be newer than the event. */
export function applyContactSettings(
  contacts: readonly ContactInfo[] | undefined,
  contact: Pick<ContactInfo, 'id' | 'muted'>,
): ContactInfo[] | undefined {
  if (!contacts) return undefined;
  return contacts.map((c) =>
    c.id === contact.id && c.muted !== contact.muted ? { ...c, muted: contact.muted } : c,
  );
}

export function useSetMuted() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ contactId, muted }: { contactId: string; muted: boolean }) =>
      api.put('/api/contacts/:contactId/settings', { params: { contactId }, json: { muted } }),
    onSuccess: ({ contact }) =>
      queryClient.setQueryData<ContactInfo[]>(queryKeys.contacts, (l) =>
        applyContactSettings(l, contact),
      ),
  });
}

/** My settings changed in another tab or on another device. */
export function useContactSettingsRealtime(): void {
  const queryClient = useQueryClient();
  useSocketEvent('contact_settings_updated', ({ contact }) => {
    queryClient.setQueryData<ContactInfo[]>(queryKeys.contacts, (l) =>
      applyContactSettings(l, contact),
    );
  });
}
