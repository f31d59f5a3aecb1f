/** Every TanStack Query key the app uses, so cache updates and reads never drift apart. */
export const queryKeys = {
  me: ['me'] as const,
  sessions: ['sessions'] as const,
  blocks: ['blocks'] as const,
  contacts: ['contacts'] as const,
  pendingRequests: ['friend-requests', 'pending'] as const,
  sentRequests: ['friend-requests', 'sent'] as const,
  userSearchAll: ['user-search'] as const,
  userSearch: (q: string) => ['user-search', q] as const,
  conversationsAll: ['conversation'] as const,
  conversation: (contactId: string) => ['conversation', contactId] as const,
};
