import type { FriendRequestInfo, IncomingRequest, OutgoingRequest } from '@natter/contracts/client';

/** Pure updates of the incoming / sent request lists in the query cache. */

function newestFirst<T extends { sentAt: string }>(list: T[]): T[] {
  return [...list].sort((a, b) => Date.parse(b.sentAt) - Date.parse(a.sentAt));
}

export function addIncoming(
  list: IncomingRequest[] | undefined,
  request: FriendRequestInfo,
): IncomingRequest[] | undefined {
  if (!list) return list;
  if (list.some((r) => r.id === request.id)) return list;
  return newestFirst([{ id: request.id, sender: request.sender, sentAt: request.sentAt }, ...list]);
}

export function addOutgoing(
  list: OutgoingRequest[] | undefined,
  request: FriendRequestInfo,
): OutgoingRequest[] | undefined {
  if (!list) return list;
  if (list.some((r) => r.id === request.id)) return list;
  return newestFirst([
    { id: request.id, recipient: request.recipient, sentAt: request.sentAt },
    ...list,
  ]);
}

export function removeRequest<T extends { id: string }>(
  list: T[] | undefined,
  requestId: string,
): T[] | undefined {
  return list?.filter((r) => r.id !== requestId);
}

export function removeIncomingFrom(list: IncomingRequest[] | undefined, userId: string) {
  return list?.filter((r) => r.sender.id !== userId);
}

export function removeOutgoingTo(list: OutgoingRequest[] | undefined, userId: string) {
  return list?.filter((r) => r.recipient.id !== userId);
}
