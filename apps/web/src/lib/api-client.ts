import {
  buildPath,
  ErrorCode,
  type ApiError,
  type BodyOf,
  type HttpMethod as RouteMethod,
  type PathOf,
  type PathParams,
  type QueryOf,
  type RefreshResponse,
  type ResponseOf,
} from '@natter/contracts/client';
import { HttpError, NetworkError } from './errors';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** The refresh endpoint, by its route-map entry. */
const REFRESH_PATH: PathOf<'POST'> = '/api/refresh';

export interface RequestOptions {
  method?: HttpMethod;
  /** Sent as JSON. */
  json?: unknown;
  /** Sent as is (e.g. FormData). */
  body?: BodyInit;
  query?: object;
  signal?: AbortSignal;
  /** false: no bearer token and no refresh-and-retry (login, signup). */
  auth?: boolean;
  /** Accept header; JSON unless said otherwise (images). */
  accept?: string;
}

export interface ApiClientOptions {
  fetch?: typeof fetch;
  /**
   * Serialises refreshes across tabs (Web Locks), so a second tab sends the cookie the first
   * one just rotated instead of replaying the old one (which the API treats as theft).
   */
  withLock?: <T>(run: () => Promise<T>) => Promise<T>;
}

export type RefreshOutcome = string | null;

function defaultLock<T>(run: () => Promise<T>): Promise<T> {
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  if (!locks || typeof locks.request !== 'function') return run();
  return locks.request('natter-refresh-token', run) as Promise<T>;
}

async function readBody(res: Response): Promise<unknown> {
  if (res.status === 204) return undefined;
  const text = await res.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export async function toHttpError(res: Response): Promise<HttpError> {
  const body = await readBody(res).catch(() => undefined);
  return new HttpError(
    res.status,
    body && typeof body === 'object' ? (body as Partial<ApiError>) : { message: res.statusText },
  );
}

/**
 * Options of a typed call: path parameters when the path has some, the body and query the
 * route map gives the route, and the plain request options.
 */
export type CallOptions<M extends RouteMethod, P extends PathOf<M>> = Omit<
  RequestOptions,
  'method' | 'json' | 'body' | 'query'
> &
  (keyof PathParams<P> extends never ? { params?: undefined } : { params: PathParams<P> }) &
  ([BodyOf<M, P>] extends [undefined] ? { json?: undefined } : { json: BodyOf<M, P> }) &
  ([QueryOf<M, P>] extends [undefined] ? { query?: undefined } : { query?: QueryOf<M, P> });

/** The options argument, required only when something in it is. */
type CallArgs<M extends RouteMethod, P extends PathOf<M>> =
  object extends CallOptions<M, P> ? [options?: CallOptions<M, P>] : [options: CallOptions<M, P>];

/**
 * The one way the SPA talks HTTP to the API. Holds the access token in memory only; on a
 * 401 it runs ONE shared refresh (every concurrent 401 waits for the same promise) and
 * retries the request once. A refused refresh means signed out.
 */
export function createApiClient(options: ApiClientOptions = {}) {
  const doFetch: typeof fetch = options.fetch ?? ((input, init) => fetch(input, init));
  const withLock = options.withLock ?? defaultLock;

  let accessToken: string | null = null;
  let refreshInFlight: Promise<RefreshOutcome> | null = null;
  const signedOutListeners = new Set<() => void>();
  const tokenListeners = new Set<(token: string | null) => void>();

  function setAccessToken(token: string | null): void {
    accessToken = token;
    for (const listener of tokenListeners) listener(token);
  }

  function signOutLocally(): void {
    setAccessToken(null);
    for (const listener of signedOutListeners) listener();
  }

  async function runRefresh(): Promise<RefreshOutcome> {
    let res: Response;
    try {
      res = await withLock(() =>
        doFetch(REFRESH_PATH, {
          method: 'POST',
          credentials: 'same-origin',
          headers: { Accept: 'application/json' },
        }),
      );
    } catch {
      throw new NetworkError();
    }
    if (res.ok) {
      const body = (await readBody(res)) as Partial<RefreshResponse> | undefined;
      if (body && typeof body.accessToken === 'string') {
        setAccessToken(body.accessToken);
        return body.accessToken;
      }
      signOutLocally();
      return null;
    }
    // Rate limits and server errors say nothing about the session: keep it and report.
    if (res.status === 429 || res.status >= 500) throw await toHttpError(res);
    signOutLocally();
    return null;
  }

  /** Refresh the access token; concurrent callers share one request. null: signed out. */
  function refresh(): Promise<RefreshOutcome> {
    if (!refreshInFlight) {
      refreshInFlight = runRefresh().finally(() => {
        refreshInFlight = null;
      });
    }
    return refreshInFlight;
  }

  function buildUrl(path: string, query?: RequestOptions['query']): string {
    if (!query) return path;
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query as Record<string, unknown>)) {
      if (value !== undefined) params.set(key, String(value));
    }
    const qs = params.toString();
    return qs ? `${path}?${qs}` : path;
  }

  async function send(path: string, opts: RequestOptions, token: string | null): Promise<Response> {
    const headers: Record<string, string> = { Accept: opts.accept ?? 'application/json' };
    let body: BodyInit | undefined = opts.body;
    if (opts.json !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(opts.json);
    }
    if (token) headers.Authorization = `Bearer ${token}`;
    try {
      return await doFetch(buildUrl(path, opts.query), {
        method: opts.method ?? 'GET',
        headers,
        body,
        credentials: 'same-origin',
        signal: opts.signal,
      });
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') throw error;
      throw new NetworkError();
    }
  }

  /** A 401 that is about the request itself (wrong password), not about the token. */
  async function isCredentialError(res: Response): Promise<boolean> {
    const body = await readBody(res.clone()).catch(() => undefined);
    const code = body && typeof body === 'object' ? (body as { code?: unknown }).code : undefined;
    return code === ErrorCode.INVALID_CREDENTIALS;
  }

  /**
   * Runs `attempt` with the access token; when its answer is a token 401, refreshes once
   * (shared with every concurrent caller) and runs it once more with the new token. After a
   * refused refresh the 401 answer is returned. Every authenticated request goes through
   * here, uploads (XHR, for their progress) included.
   */
  async function withTokenRetry<R extends { status: number }>(
    attempt: (token: string | null) => Promise<R>,
    isTokenError: (result: R) => boolean | Promise<boolean> = (result) => result.status === 401,
  ): Promise<R> {
    const usedToken = accessToken;
    const result = await attempt(usedToken);
    if (!(await isTokenError(result))) return result;
    // Another request may already have refreshed while this one was in flight.
    const next = accessToken && accessToken !== usedToken ? accessToken : await refresh();
    return next === null ? result : attempt(next);
  }

  /** Sends with the token; on a token 401, refreshes once (shared) and retries once. */
  async function fetchAuthed(path: string, opts: RequestOptions = {}): Promise<Response> {
    const res =
      opts.auth === false
        ? await send(path, opts, null)
        : await withTokenRetry(
            (token) => send(path, opts, token),
            async (r) => r.status === 401 && !(await isCredentialError(r)),
          );
    if (!res.ok) throw await toHttpError(res);
    return res;
  }

  async function request<T>(path: string, opts: RequestOptions = {}): Promise<T> {
    const res = await fetchAuthed(path, opts);
    return (await readBody(res)) as T;
  }

  /** A call by its route-map entry: the path and the types come from `@natter/contracts`. */
  function call<M extends RouteMethod, P extends PathOf<M>>(
    method: M,
    path: P,
    options: CallOptions<M, P> | undefined,
  ): Promise<ResponseOf<M, P>> {
    const { params, json, query, ...rest } = (options ?? {}) as RequestOptions & {
      params?: Record<string, string>;
    };
    const url = buildPath(path, (params ?? {}) as PathParams<P>);
    // POST always carries a JSON body (`{}` when the route takes none).
    const body = json ?? (method === 'POST' ? {} : undefined);
    return request<ResponseOf<M, P>>(url, { ...rest, method, json: body, query });
  }

  return {
    /** For URLs the API itself handed out (e.g. `message.image.url`). */
    fetchAuthed,
    withTokenRetry,
    refresh,
    get: <P extends PathOf<'GET'>>(path: P, ...args: CallArgs<'GET', P>) =>
      call('GET', path, args[0]),
    post: <P extends PathOf<'POST'>>(path: P, ...args: CallArgs<'POST', P>) =>
      call('POST', path, args[0]),
    put: <P extends PathOf<'PUT'>>(path: P, ...args: CallArgs<'PUT', P>) =>
      call('PUT', path, args[0]),
    patch: <P extends PathOf<'PATCH'>>(path: P, ...args: CallArgs<'PATCH', P>) =>
      call('PATCH', path, args[0]),
    del: <P extends PathOf<'DELETE'>>(path: P, ...args: CallArgs<'DELETE', P>) =>
      call('DELETE', path, args[0]),
    getAccessToken: (): string | null => accessToken,
    setAccessToken,
    /** Forget the token (logout or a refused refresh) and tell the listeners. */
    signOutLocally,
    onSignedOut(listener: () => void): () => void {
      signedOutListeners.add(listener);
      return () => signedOutListeners.delete(listener);
    },
    onTokenChange(listener: (token: string | null) => void): () => void {
      tokenListeners.add(listener);
      return () => tokenListeners.delete(listener);
    },
  };
}

export type ApiClient = ReturnType<typeof createApiClient>;
