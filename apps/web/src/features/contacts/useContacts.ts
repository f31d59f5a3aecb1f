import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ContactInfo } from '@natter/contracts/client';
import { useApi } from '../../app/auth-context';
import { queryKeys } from '../../lib/query-keys';
import { removeIncomingFrom, removeOutgoingTo } from '../requests/requests-cache';
import type { IncomingRequest, OutgoingRequest } from '@natter/contracts/client';
import { removeContact, sortContacts } from './contacts-cache';

export function useContacts() {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.contacts,
    queryFn: async () => sortContacts((await api.get('/api/contacts')).contacts),
  });
}

/** Forget everything about a contact that is gone (removed or blocked). */
function dropContact(queryClient: ReturnType<typeof useQueryClient>, userId: string) {
  queryClient.setQueryData<ContactInfo[]>(queryKeys.contacts, (list) =>
    list ? removeContact(list, userId) : list,
  );
  queryClient.removeQueries({ queryKey: queryKeys.conversation(userId), exact: true });
  void queryClient.invalidateQueries({ queryKey: queryKeys.userSearchAll });
}

export function useRemoveContact() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (contactId: string) => api.post('/api/contacts/remove', { json: { contactId } }),
    onSuccess: (_data, contactId) => dropContact(queryClient, contactId),
  });
}

export function useBlockUser() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (userId: string) => api.post('/api/blocks', { json: { userId } }),
    onSuccess: (_data, userId) => {
      dropContact(queryClient, userId);
      queryClient.setQueryData<IncomingRequest[]>(queryKeys.pendingRequests, (l) =>
        removeIncomingFrom(l, userId),
      );
      queryClient.setQueryData<OutgoingRequest[]>(queryKeys.sentRequests, (l) =>
        removeOutgoingTo(l, userId),
      );
      void queryClient.invalidateQueries({ queryKey: queryKeys.blocks });
    },
  });
}

export function useBlocks() {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.blocks,
    queryFn: async () => (await api.get('/api/blocks')).blocks,
  });
}

export function useUnblock() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (userId: string) => api.del('/api/blocks/:userId', { params: { userId } }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.blocks });
      void queryClient.invalidateQueries({ queryKey: queryKeys.userSearchAll });
    },
  });
}
