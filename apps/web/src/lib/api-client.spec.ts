import { createApiClient } from './api-client';
import { HttpError } from './errors';
import { createSessionStore } from './session-store';
import { rememberSession } from './session-hint';

function json(status: number, body: unknown): Response {
  return new Response(status === 204 ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

type Handler = (url: string, init: RequestInit) => Promise<Response> | Response;

function fakeFetch(handler: Handler) {
  const calls: { url: string; auth: string | undefined; method: string }[] = [];
  const fn = jest.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = String(input);
    const headers = (init.headers ?? {}) as Record<string, string>;
    calls.push({ url, auth: headers.Authorization, method: init.method ?? 'GET' });
    return handler(url, init);
  });
  return { fetch: fn as unknown as typeof fetch, calls };
}

const unauthorized = () =>
  json(401, {
    statusCode: 401,
    error: 'Unauthorized',
    message: 'Unauthorized',
    code: 'UNAUTHORIZED',
  });

describe('api client', () => {
  it('sends the bearer token and same-origin credentials', async () => {
    const { fetch, calls } = fakeFetch(() => json(200, { ok: true }));
    const api = createApiClient({ fetch, withLock: (run) => run() });
    api.setAccessToken('tok-1');
    await expect(api.get('/api/me')).resolves.toEqual({ ok: true });
    expect(calls[0]).toEqual({ url: '/api/me', auth: 'Bearer tok-1', method: 'GET' });
  });

  it('fills path parameters and the query of a route-map call (message actions)', async () => {
    const bodies: unknown[] = [];
    const { fetch, calls } = fakeFetch((_url, init) => {
      bodies.push(init.body);
      return init.method === 'DELETE' && !String(_url).endsWith('/reaction')
        ? json(204, null)
        : json(200, { message: { id: 'm/1' } });
    });
    const api = createApiClient({ fetch, withLock: (run) => run() });
    api.setAccessToken('tok-1');
    await api.patch('/api/messages/:id', { params: { id: 'm/1' }, json: { text: 'hi' } });
    await api.del('/api/messages/:id', { params: { id: 'm1' }, query: { for: 'me' } });
    await api.put('/api/messages/:id/reaction', { params: { id: 'm1' }, json: { emoji: '👍' } });
    await api.del('/api/messages/:id/reaction', { params: { id: 'm1' } });
    await api.get('/api/conversations/:contactId/changes', {
      params: { contactId: 'c1' },
      query: { since: '3.7' },
    });
    expect(calls.map(({ method, url }) => `${method} ${url}`)).toEqual([
      'PATCH /api/messages/m%2F1',
      'DELETE /api/messages/m1?for=me',
      'PUT /api/messages/m1/reaction',
      'DELETE /api/messages/m1/reaction',
      'GET /api/conversations/c1/changes?since=3.7',
    ]);
    expect(bodies).toEqual([
      JSON.stringify({ text: 'hi' }),
      undefined,
      JSON.stringify({ emoji: '👍' }),
      undefined,
      undefined,
    ]);
  });

  it('shares ONE refresh between concurrent 401s and retries each request once', async () => {
    const refreshGate = deferred<Response>();
    const { fetch, calls } = fakeFetch((url, init) => {
      if (url === '/api/refresh') {
        expect(init.credentials).toBe('same-origin');
        return refreshGate.promise;
      }
      const auth = (init.headers as Record<string, string>).Authorization;
      return auth === 'Bearer fresh' ? json(200, { url }) : unauthorized();
    });
    const api = createApiClient({ fetch, withLock: (run) => run() });
    api.setAccessToken('stale');

    const a = api.get('/api/contacts');
    const b = api.get('/api/friend-requests/pending');
    // Let both requests fail with 401 and start waiting on the refresh.
    await new Promise((r) => setTimeout(r, 0));
    refreshGate.resolve(json(200, { accessToken: 'fresh' }));

    await expect(a).resolves.toEqual({ url: '/api/contacts' });
    await expect(b).resolves.toEqual({ url: '/api/friend-requests/pending' });
    expect(calls.filter((c) => c.url === '/api/refresh')).toHaveLength(1);
    expect(calls.filter((c) => c.url === '/api/contacts').map((c) => c.auth)).toEqual([
      'Bearer stale',
      'Bearer fresh',
    ]);
    expect(api.getAccessToken()).toBe('fresh');
  });

  it('signs out when the refresh is refused, and does not retry', async () => {
    const { fetch, calls } = fakeFetch((url) =>
      url === '/api/refresh'
        ? json(401, {
            statusCode: 401,
            error: 'Unauthorized',
            message: 'x',
            code: 'INVALID_REFRESH_TOKEN',
          })
        : unauthorized(),
    );
    const api = createApiClient({ fetch, withLock: (run) => run() });
    const session = createSessionStore(api);
    session.signIn({
      user: { id: 'u1', username: 'alice', createdAt: '', twoFactorEnabled: false },
      accessToken: 'old',
    });
    const signedOut = jest.fn();
    api.onSignedOut(signedOut);

    const results = await Promise.allSettled([api.get('/api/contacts'), api.get('/api/sessions')]);

    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect((results[0] as PromiseRejectedResult).reason).toBeInstanceOf(HttpError);
    expect(calls.filter((c) => c.url === '/api/refresh')).toHaveLength(1);
    expect(calls.filter((c) => c.url === '/api/contacts')).toHaveLength(1);
    expect(signedOut).toHaveBeenCalled();
    expect(api.getAccessToken()).toBeNull();
    expect(session.getState().status).toBe('signedOut');
  });

  it('does not refresh on a wrong-password 401', async () => {
    const { fetch, calls } = fakeFetch(() =>
      json(401, {
        statusCode: 401,
        error: 'Unauthorized',
        message: 'Invalid credentials',
        code: 'INVALID_CREDENTIALS',
      }),
    );
    const api = createApiClient({ fetch, withLock: (run) => run() });
    api.setAccessToken('tok');
    await expect(api.del('/api/me', { json: { password: 'nope-nope' } })).rejects.toMatchObject({
      status: 401,
      code: 'INVALID_CREDENTIALS',
    });
    expect(calls.map((c) => c.url)).toEqual(['/api/me']);
    expect(api.getAccessToken()).toBe('tok');
  });

  it('keeps the session when the refresh fails for a server reason', async () => {
    const { fetch } = fakeFetch((url) =>
      url === '/api/refresh'
        ? json(503, { statusCode: 503, error: 'Unavailable', message: 'down' })
        : unauthorized(),
    );
    const api = createApiClient({ fetch, withLock: (run) => run() });
    api.setAccessToken('tok');
    const signedOut = jest.fn();
    api.onSignedOut(signedOut);
    await expect(api.get('/api/contacts')).rejects.toMatchObject({ status: 503 });
    expect(signedOut).not.toHaveBeenCalled();
    expect(api.getAccessToken()).toBe('tok');
  });

  it('restores a session from the refresh cookie on load', async () => {
    rememberSession();
    const { fetch, calls } = fakeFetch((url) => {
      if (url === '/api/refresh') return json(200, { accessToken: 'restored' });
      if (url === '/api/me')
        return json(200, { user: { id: 'u1', username: 'alice', createdAt: 'x' } });
      return json(404, {});
    });
    const api = createApiClient({ fetch, withLock: (run) => run() });
    const session = createSessionStore(api);
    await Promise.all([session.restore(), session.restore()]);
    expect(session.getState()).toMatchObject({ status: 'signedIn', user: { username: 'alice' } });
    expect(calls.filter((c) => c.url === '/api/refresh')).toHaveLength(1);
    expect(calls.find((c) => c.url === '/api/me')?.auth).toBe('Bearer restored');
  });

  it('ends up signed out on load without a refresh cookie', async () => {
    const { fetch } = fakeFetch(() =>
      json(401, { statusCode: 401, error: 'Unauthorized', message: 'x' }),
    );
    const api = createApiClient({ fetch, withLock: (run) => run() });
    const session = createSessionStore(api);
    await session.restore();
    expect(session.getState().status).toBe('signedOut');
  });
});
