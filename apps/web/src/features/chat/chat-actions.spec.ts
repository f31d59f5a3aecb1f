import { QueryClient } from '@tanstack/react-query';
import type { ContactInfo, MessageInfo } from '@natter/contracts/client';
import { createApiClient } from '../../lib/api-client';
import { queryKeys } from '../../lib/query-keys';
import { FakeSocket, bob as bobContact, jsonResponse } from '../../test-utils/harness';
import { applyStoredMessage, catchUp, fetchLatest } from './chat-actions';
import { resendPending, SEND_RETRIES, SEND_RETRY_DELAY_MS, sendText } from './sending';
import { emptyConversation, mergeStored, type ConversationState } from './conversation-state';

const me = 'me';
const bob = 'bob';

function stored(seq: number, senderId = bob): MessageInfo {
  return {
    id: `id-${seq}`,
    conversationId: 'conv',
    seq,
    senderId,
    recipientId: senderId === me ? bob : me,
    type: 'text',
    text: `m${seq}`,
    clientId: `client-${senderId}-${seq}`,
    createdAt: new Date(Date.UTC(2024, 0, 1, 0, seq)).toISOString(),
    reactions: [],
  };
}

/** A fake history endpoint over messages 1..total, honouring before/after/limit like the API. */
function historyServer(total: number) {
  const all = Array.from({ length: total }, (_, i) => stored(i + 1));
  const urls: string[] = [];
  const fetch = jest.fn(async (input: RequestInfo | URL) => {
    const url = new URL(String(input), 'http://x');
    urls.push(`${url.pathname}${url.search}`);
    const limit = Number(url.searchParams.get('limit') ?? 50);
    const after = url.searchParams.get('after');
    const before = url.searchParams.get('before');
    let page: MessageInfo[];
    let hasMore: boolean;
    if (after !== null) {
      const rest = all.filter((m) => m.seq > Number(after));
      page = rest.slice(0, limit);
      hasMore = rest.length > limit;
    } else {
      const rest = before !== null ? all.filter((m) => m.seq < Number(before)) : all;
      page = rest.slice(-limit);
      hasMore = rest.length > limit;
    }
    return jsonResponse(200, { messages: page, hasMore });
  });
  const api = createApiClient({
    fetch: fetch as unknown as typeof globalThis.fetch,
    withLock: (run) => run(),
  });
  api.setAccessToken('t');
  return { api, urls };
}

const seqs = (qc: QueryClient) =>
  qc.getQueryData<ConversationState>(queryKeys.conversation(bob))!.messages.map((m) => m.seq);

describe('catch-up after a reconnect', () => {
  it('fetches after the last gap-free seq, page by page, and merges in order without duplicates', async () => {
    const { api, urls } = historyServer(260);
    const qc = new QueryClient();
    // Held: 1..3, then a live message 200 arrived before the catch-up ran.
    qc.setQueryData(
      queryKeys.conversation(bob),
      mergeStored(emptyConversation(), [stored(1), stored(2), stored(3), stored(200)]),
    );

    await catchUp(api, qc, bob);

    expect(urls).toEqual([
      `/api/conversations/${bob}/messages?after=3&limit=100`,
      `/api/conversations/${bob}/messages?after=103&limit=100`,
      `/api/conversations/${bob}/messages?after=203&limit=100`,
    ]);
    expect(seqs(qc)).toEqual(Array.from({ length: 260 }, (_, i) => i + 1));
  });

  it('merges live messages that arrive while the first page is loading', async () => {
    const { api } = historyServer(2);
    const qc = new QueryClient();
    applyStoredMessage(qc, stored(3), me, { countUnread: true });
    const state = await fetchLatest(api, qc, bob);
    expect(state.messages.map((m) => m.seq)).toEqual([1, 2, 3]);
  });

  it('bumps the contact preview once per message', () => {
    const qc = new QueryClient();
    const contact: ContactInfo = { ...bobContact, id: bob };
    qc.setQueryData(queryKeys.contacts, [contact]);
    applyStoredMessage(qc, stored(5), me, { countUnread: true });
    applyStoredMessage(qc, stored(5), me, { countUnread: true });
    expect(qc.getQueryData<ContactInfo[]>(queryKeys.contacts)![0]).toMatchObject({
      unreadCount: 1,
      lastMessage: { seq: 5 },
    });
  });
});

describe('sending while offline', () => {
  it('keeps the message pending and resends it with the same clientId on reconnect', () => {
    const { api } = historyServer(0);
    const qc = new QueryClient();
    qc.setQueryData(queryKeys.conversation(bob), emptyConversation());
    const socket = new FakeSocket();
    socket.connected = false;
    const deps = { queryClient: qc, api, socket: socket.asSocket(), myId: me };

    sendText(deps, bob, 'written offline');
    expect(socket.emitsOf('send_private_message')).toHaveLength(0);
    const [pending] = qc.getQueryData<ConversationState>(queryKeys.conversation(bob))!.messages;
    expect(pending.status).toBe('pending');

    socket.connected = true;
    resendPending(deps);
    const [sent] = socket.emitsOf('send_private_message');
    expect(sent.payload).toEqual({
      recipientId: bob,
      text: 'written offline',
      clientId: pending.clientId,
    });
  });
});

describe('sending during a database outage', () => {
  afterEach(() => jest.useRealTimers());

  function connectedChat() {
    jest.useFakeTimers();
    const { api } = historyServer(0);
    const qc = new QueryClient();
    qc.setQueryData(queryKeys.conversation(bob), emptyConversation());
    const socket = new FakeSocket();
    return { qc, socket, deps: { queryClient: qc, api, socket: socket.asSocket(), myId: me } };
  }

  it('retries a SERVICE_UNAVAILABLE send with the same clientId, and stays pending meanwhile', () => {
    const { qc, socket, deps } = connectedChat();
    const unavailable = {
      ok: false,
      error: { code: 'SERVICE_UNAVAILABLE', message: 'try again shortly' },
    };

    sendText(deps, bob, 'during the outage');
    socket.emitsOf('send_private_message')[0].ack!(null, unavailable);
    const [pending] = qc.getQueryData<ConversationState>(queryKeys.conversation(bob))!.messages;
    expect(pending.status).toBe('pending');

    jest.advanceTimersByTime(SEND_RETRY_DELAY_MS);
    const sends = socket.emitsOf('send_private_message');
    expect(sends).toHaveLength(2);
    expect((sends[1].payload as { clientId: string }).clientId).toBe(pending.clientId);

    sends[1].ack!(null, { ok: true, message: { ...stored(1, me), clientId: pending.clientId } });
    const [delivered] = qc.getQueryData<ConversationState>(queryKeys.conversation(bob))!.messages;
    expect(delivered).toMatchObject({ seq: 1, clientId: pending.clientId });
  });

  it('gives up after a few retries and lets the user retry by hand', () => {
    const { qc, socket, deps } = connectedChat();
    sendText(deps, bob, 'long outage');
    for (let i = 0; i <= SEND_RETRIES; i++) {
      const sends = socket.emitsOf('send_private_message');
      sends[sends.length - 1].ack!(null, {
        ok: false,
        error: { code: 'SERVICE_UNAVAILABLE', message: 'try again shortly' },
      });
      jest.advanceTimersByTime(SEND_RETRY_DELAY_MS);
    }
    expect(socket.emitsOf('send_private_message')).toHaveLength(SEND_RETRIES + 1);
    const [failed] = qc.getQueryData<ConversationState>(queryKeys.conversation(bob))!.messages;
    expect(failed.status).toBe('failed');
  });
});
