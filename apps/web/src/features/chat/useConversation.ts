import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useApi } from '../../app/auth-context';
import { queryKeys } from '../../lib/query-keys';
import { fetchLatest } from './chat-actions';

/**
 * A conversation's messages live in the query cache under their own shape (not infinite-query
 * pages) so live events, acks, older pages and catch-up all merge through the same pure
 * functions. Freshness comes from the socket and catch-up, never from refetching.
 */
export function useConversation(contactId: string, enabled: boolean) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useQuery({
    queryKey: queryKeys.conversation(contactId),
    queryFn: () => fetchLatest(api, queryClient, contactId),
    enabled,
    staleTime: Infinity,
    gcTime: 30 * 60_000,
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
  });
}
