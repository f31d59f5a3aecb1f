import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  SEARCH_QUERY_MIN_LENGTH,
  type ContactInfo,
  type IncomingRequest,
  type OutgoingRequest,
} from '@natter/contracts/client';
import { useApi } from '../../app/auth-context';
import { queryKeys } from '../../lib/query-keys';
import { upsertContact } from '../contacts/contacts-cache';
import { addOutgoing, removeIncomingFrom, removeRequest } from './requests-cache';

export function usePendingRequests() {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.pendingRequests,
    queryFn: async () => (await api.get('/api/friend-requests/pending')).requests,
  });
}

export function useSentRequests() {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.sentRequests,
    queryFn: async () => (await api.get('/api/friend-requests/sent')).requests,
  });
}

export function useUserSearch(q: string) {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.userSearch(q),
    queryFn: async ({ signal }) =>
      (await api.get('/api/users/search', { query: { q }, signal })).users,
    enabled: q.length >= SEARCH_QUERY_MIN_LENGTH,
    staleTime: 10_000,
    placeholderData: (previous) => previous,
  });
}

function useInvalidateSearch() {
  const queryClient = useQueryClient();
  return () => void queryClient.invalidateQueries({ queryKey: queryKeys.userSearchAll });
}

export function useSendRequest() {
  const api = useApi();
  const queryClient = useQueryClient();
  const invalidateSearch = useInvalidateSearch();
  return useMutation({
    mutationFn: (username: string) => api.post('/api/friend-requests/send', { json: { username } }),
    onSuccess: (response) => {
      if (response?.request) {
        const request = response.request;
        queryClient.setQueryData<OutgoingRequest[]>(queryKeys.sentRequests, (l) =>
          addOutgoing(l, request),
        );
      }
      if (response?.contact) {
        // They had already asked us: the server accepted theirs instead.
        const contact = response.contact;
        queryClient.setQueryData<ContactInfo[]>(queryKeys.contacts, (l) =>
          l ? upsertContact(l, contact) : l,
        );
        queryClient.setQueryData<IncomingRequest[]>(queryKeys.pendingRequests, (l) =>
          removeIncomingFrom(l, contact.id),
        );
      }
      invalidateSearch();
    },
  });
}

export function useAcceptRequest() {
  const api = useApi();
  const queryClient = useQueryClient();
  const invalidateSearch = useInvalidateSearch();
  return useMutation({
    mutationFn: (requestId: string) =>
      api.post('/api/friend-requests/accept', { json: { requestId } }),
    onSuccess: (response, requestId) => {
      queryClient.setQueryData<IncomingRequest[]>(queryKeys.pendingRequests, (l) =>
        removeRequest(l, requestId),
      );
      if (response?.contact) {
        const contact = response.contact;
        queryClient.setQueryData<ContactInfo[]>(queryKeys.contacts, (l) =>
          l ? upsertContact(l, contact) : l,
        );
      } else {
        void queryClient.invalidateQueries({ queryKey: queryKeys.contacts });
      }
      invalidateSearch();
    },
  });
}

export function useRejectRequest() {
  const api = useApi();
  const queryClient = useQueryClient();
  const invalidateSearch = useInvalidateSearch();
  return useMutation({
    mutationFn: (requestId: string) =>
      api.post('/api/friend-requests/reject', { json: { requestId } }),
    onSuccess: (_r, requestId) => {
      queryClient.setQueryData<IncomingRequest[]>(queryKeys.pendingRequests, (l) =>
        removeRequest(l, requestId),
      );
      invalidateSearch();
    },
  });
}

export function useCancelRequest() {
  const api = useApi();
  const queryClient = useQueryClient();
  const invalidateSearch = useInvalidateSearch();
  return useMutation({
    mutationFn: (requestId: string) =>
      api.post('/api/friend-requests/cancel', { json: { requestId } }),
    onSuccess: (_r, requestId) => {
      queryClient.setQueryData<OutgoingRequest[]>(queryKeys.sentRequests, (l) =>
        removeRequest(l, requestId),
      );
      invalidateSearch();
    },
  });
}
