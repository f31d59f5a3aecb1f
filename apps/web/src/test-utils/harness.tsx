import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { RouterProvider, createMemoryRouter, type RouteObject } from 'react-router';
import type { ContactInfo, MessageInfo, PublicUser } from '@natter/contracts/client';
import { AuthProvider } from '../app/AuthProvider';
import { routes } from '../app/router';
import { SocketContext } from '../app/socket-context';
import { createApiClient } from '../lib/api-client';
import { createSessionStore } from '../lib/session-store';
import type { AppSocket } from '../lib/socket-client';
import type { ConnectionSnapshot } from '../lib/socket-controller';
import { ToastProvider } from '../ui/ToastProvider';

export function jsonResponse(status: number, body?: unknown): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });
}

export type FetchHandler = (url: string, init: RequestInit) => Response | Promise<Response>;

export interface EmittedEvent {
  event: string;
  payload: unknown;
  ack?: (...args: unknown[]) => void;
  timeout?: number;
}

/** Enough of a Socket.IO client for components: records emits, lets a test play the server. */
export class FakeSocket {
  connected = true;
  active = true;
  emitted: EmittedEvent[] = [];
  private handlers = new Map<string, Set<(payload: unknown) => void>>();

  on(event: string, handler: (payload: unknown) => void) {
    if (!this.handlers.has(event)) this.handlers.set(event, new Set());
    this.handlers.get(event)!.add(handler);
    return this;
  }

  off(event: string, handler: (payload: unknown) => void) {
    this.handlers.get(event)?.delete(handler);
    return this;
  }

  emit(event: string, payload: unknown, ack?: (...args: unknown[]) => void) {
    this.emitted.push({ event, payload, ack });
    return this;
  }

  timeout(ms: number) {
    return {
      emit: (
        event: string,
        payload: unknown,
        ack: (err: Error | null, response?: unknown) => void,
      ) => {
        this.emitted.push({
          event,
          payload,
          ack: ack as (...args: unknown[]) => void,
          timeout: ms,
        });
      },
    };
  }

  /** The server sends an event to this client. */
  serverEmit(event: string, payload: unknown) {
    for (const handler of this.handlers.get(event) ?? []) handler(payload);
  }

  listenerCount(event: string): number {
    return this.handlers.get(event)?.size ?? 0;
  }

  emitsOf(event: string): EmittedEvent[] {
    return this.emitted.filter((e) => e.event === event);
  }

  asSocket(): AppSocket {
    return this as unknown as AppSocket;
  }
}

export const alice: PublicUser = {
  id: 'aaaaaaaaaaaaaaaaaaaaaaaa',
  username: 'alice',
  createdAt: '2024-01-01T00:00:00.000Z',
  twoFactorEnabled: false,
};

/** alice's contact in the conversation tests. */
export const bob: ContactInfo = {
  id: 'bbbbbbbbbbbbbbbbbbbbbbbb',
  username: 'bob',
  online: true,
  lastSeen: null,
  unreadCount: 0,
  lastMessage: null,
  since: '2024-01-01T00:00:00.000Z',
  muted: false,
};

/** A stored text message between alice and bob. */
export function storedText(
  seq: number,
  senderId: string,
  text: string,
  clientId = `c-${senderId}-${seq}`,
): MessageInfo {
  return {
    id: `m${seq}`,
    conversationId: 'conv',
    seq,
    senderId,
    recipientId: senderId === alice.id ? bob.id : alice.id,
    type: 'text',
    text,
    clientId,
    createdAt: new Date(Date.UTC(2024, 0, 2, 10, seq)).toISOString(),
    reactions: [],
  };
}

export interface RenderAppOptions {
  routes: RouteObject[];
  initialPath: string;
  fetch?: FetchHandler;
  user?: PublicUser | null;
  socket?: FakeSocket | null;
  queryClient?: QueryClient;
}

/** Render routes with the real providers around them, a fake fetch and an optional fake socket. */
export function renderApp(options: RenderAppOptions) {
  const fetchMock = jest.fn(async (input: RequestInfo | URL, init: RequestInit = {}) =>
    (
      options.fetch ??
      (() => jsonResponse(404, { statusCode: 404, error: 'Not Found', message: 'nope' }))
    )(String(input), init),
  );
  const api = createApiClient({
    fetch: fetchMock as unknown as typeof fetch,
    withLock: (run) => run(),
  });
  const store = createSessionStore(api);
  const user = options.user === undefined ? alice : options.user;
  if (user) store.signIn({ user, accessToken: 'test-token' });
  else store.endSession();
  const queryClient =
    options.queryClient ??
    new QueryClient({
      defaultOptions: {
        queries: { retry: false, staleTime: Infinity },
        mutations: { retry: false },
      },
    });
  const router = createMemoryRouter(options.routes, { initialEntries: [options.initialPath] });
  const snapshot: ConnectionSnapshot = options.socket
    ? { socket: options.socket.asSocket(), status: 'connected', hasConnected: true }
    : { socket: null, status: 'idle', hasConnected: false };

  const ui: ReactElement = (
    <QueryClientProvider client={queryClient}>
      <ToastProvider>
        <AuthProvider store={store} api={api} restore={false}>
          <SocketContext.Provider value={snapshot}>
            <RouterProvider router={router} />
          </SocketContext.Provider>
        </AuthProvider>
      </ToastProvider>
    </QueryClientProvider>
  );
  return { ...render(ui), api, store, router, queryClient, fetchMock };
}

/** The app open on alice's conversation with bob, whose history is `history`. */
export function renderConversation(
  history: MessageInfo[] = [storedText(1, bob.id, 'hi alice'), storedText(2, alice.id, 'hi bob')],
) {
  const socket = new FakeSocket();
  const historyCalls: string[] = [];
  const app = renderApp({
    routes,
    initialPath: `/chat/${bob.id}`,
    socket,
    fetch: (url) => {
      if (url === '/api/contacts') return jsonResponse(200, { contacts: [bob] });
      if (url.startsWith('/api/friend-requests')) return jsonResponse(200, { requests: [] });
      if (url.startsWith(`/api/conversations/${bob.id}/messages`)) {
        historyCalls.push(url);
        return jsonResponse(200, { messages: history, hasMore: false });
      }
      return jsonResponse(404, {});
    },
  });
  return { ...app, socket, historyCalls };
}
