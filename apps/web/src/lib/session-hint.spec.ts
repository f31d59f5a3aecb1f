import { createApiClient } from './api-client';
import { createSessionStore } from './session-store';
import { mayHaveSession, rememberSession } from './session-hint';

const user = {
  id: 'u1',
  username: 'alice',
  createdAt: '2024-01-01T00:00:00.000Z',
  twoFactorEnabled: false,
};

function setup(handler: (url: string) => Response = () => new Response(null, { status: 204 })) {
  const urls: string[] = [];
  const flagAtRequest: boolean[] = [];
  const fetch = (async (input: RequestInfo | URL) => {
    const url = String(input);
    urls.push(url);
    flagAtRequest.push(mayHaveSession());
    return handler(url);
  }) as typeof globalThis.fetch;
  const api = createApiClient({ fetch, withLock: (run) => run() });
  return { api, store: createSessionStore(api), urls, flagAtRequest };
}

describe('the "maybe signed in" flag', () => {
  beforeEach(() => window.localStorage.clear());

  it('a visit that was never signed in asks nothing of /api/refresh', async () => {
    const { store, urls } = setup();
    await store.restore();
    expect(store.getState().status).toBe('signedOut');
    expect(urls).toEqual([]);
  });

  it('is set on sign-in, holds no token, and is cleared before the logout request', async () => {
    const { store, flagAtRequest, urls } = setup();
    store.signIn({ user, accessToken: 'secret.jwt.token' });
    expect(mayHaveSession()).toBe(true);
    expect(JSON.stringify(window.localStorage)).not.toContain('secret');
    await store.logout();
    expect(urls).toEqual(['/api/logout']);
    expect(flagAtRequest).toEqual([false]);
    expect(store.getState().status).toBe('signedOut');
  });

  it('signing out in another tab signs this one out quietly (no "another device" notice)', () => {
    const { store } = setup();
    store.signIn({ user, accessToken: 'tok' });
    window.localStorage.removeItem('natter-maybe-signed-in');
    window.dispatchEvent(
      new StorageEvent('storage', { key: 'natter-maybe-signed-in', newValue: null, oldValue: '1' }),
    );
    expect(store.getState()).toMatchObject({
      status: 'signedOut',
      notice: null,
      redirectTo: '/login',
    });
  });

  it('a later visit with the flag set restores through the cookie', async () => {
    rememberSession();
    const { store, urls } = setup((url) =>
      url === '/api/refresh'
        ? new Response(JSON.stringify({ accessToken: 'tok' }), { status: 200 })
        : new Response(JSON.stringify({ user }), { status: 200 }),
    );
    await store.restore();
    expect(urls).toEqual(['/api/refresh', '/api/me']);
    expect(store.getState().status).toBe('signedIn');
  });
});
