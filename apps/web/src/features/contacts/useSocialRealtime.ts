import { useQueryClient } from '@tanstack/react-query';
import type { ContactInfo, IncomingRequest, OutgoingRequest } from '@natter/contracts/client';
import { useNavigate } from 'react-router';
import { useOnConnect, useSocketEvent } from '../../app/socket-context';
import { queryKeys } from '../../lib/query-keys';
import { useToast } from '../../ui/toast-context';
import { getActiveConversation } from '../chat/active-conversation';
import {
  addIncoming,
  removeIncomingFrom,
  removeOutgoingTo,
  removeRequest,
} from '../requests/requests-cache';
import { applyPresence, removeContact, sortContacts, upsertContact } from './contacts-cache';

/** Keeps contacts and requests live from socket events, through the query cache (no polling). */
export function useSocialRealtime(): void {
  const queryClient = useQueryClient();
  const toast = useToast();
  const navigate = useNavigate();

  const invalidateSearch = () =>
    void queryClient.invalidateQueries({ queryKey: queryKeys.userSearchAll });

  useSocketEvent('friend_request_received', ({ request }) => {
    queryClient.setQueryData<IncomingRequest[]>(queryKeys.pendingRequests, (l) =>
      addIncoming(l, request),
    );
    if (!queryClient.getQueryData(queryKeys.pendingRequests)) {
      void queryClient.invalidateQueries({ queryKey: queryKeys.pendingRequests });
    }
    invalidateSearch();
    toast.show(`${request.sender.username} sent you a contact request`);
  });

  useSocketEvent('friend_request_accepted', ({ contact }) => {
    const sent = queryClient.getQueryData<OutgoingRequest[]>(queryKeys.sentRequests);
    const theyAcceptedMine = sent?.some((r) => r.recipient.id === contact.id) ?? false;
    queryClient.setQueryData<ContactInfo[]>(queryKeys.contacts, (l) =>
      l ? upsertContact(l, contact) : l,
    );
    queryClient.setQueryData<OutgoingRequest[]>(queryKeys.sentRequests, (l) =>
      removeOutgoingTo(l, contact.id),
    );
    queryClient.setQueryData<IncomingRequest[]>(queryKeys.pendingRequests, (l) =>
      removeIncomingFrom(l, contact.id),
    );
    invalidateSearch();
    if (theyAcceptedMine)
      toast.show(`${contact.username} accepted your contact request`, 'success');
  });

  useSocketEvent('friend_request_cancelled', ({ requestId }) => {
    queryClient.setQueryData<IncomingRequest[]>(queryKeys.pendingRequests, (l) =>
      removeRequest(l, requestId),
    );
    invalidateSearch();
  });

  useSocketEvent('friend_request_rejected', ({ requestId }) => {
    queryClient.setQueryData<OutgoingRequest[]>(queryKeys.sentRequests, (l) =>
      removeRequest(l, requestId),
    );
    invalidateSearch();
  });

  useSocketEvent('contact_removed', ({ userId }) => {
    const name = queryClient
      .getQueryData<ContactInfo[]>(queryKeys.contacts)
      ?.find((c) => c.id === userId)?.username;
    queryClient.setQueryData<ContactInfo[]>(queryKeys.contacts, (l) =>
      l ? removeContact(l, userId) : l,
    );
    queryClient.removeQueries({ queryKey: queryKeys.conversation(userId), exact: true });
    invalidateSearch();
    if (getActiveConversation().contactId === userId) {
      navigate('/chat', { replace: true });
      toast.show(`${name ?? 'This person'} is no longer in your contacts`);
    }
  });

  useSocketEvent('contacts_updated', ({ contacts }) => {
    queryClient.setQueryData<ContactInfo[]>(queryKeys.contacts, sortContacts(contacts));
    const ids = new Set(contacts.map((c) => c.id));
    const open = getActiveConversation().contactId;
    if (open && !ids.has(open)) navigate('/chat', { replace: true });
  });

  useSocketEvent('presence', (event) => {
    queryClient.setQueryData<ContactInfo[]>(queryKeys.contacts, (l) => applyPresence(l, event));
  });

  // Events missed while disconnected: refetch the lists (active ones now, others when shown).
  useOnConnect(() => {
    for (const queryKey of [
      queryKeys.contacts,
      queryKeys.pendingRequests,
      queryKeys.sentRequests,
      queryKeys.userSearchAll,
      queryKeys.blocks,
      queryKeys.sessions,
    ]) {
      void queryClient.invalidateQueries({ queryKey });
    }
  });
}
