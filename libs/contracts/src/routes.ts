import type { ChangePasswordDto, DeleteAccountDto, LoginDto, SignupDto } from './auth';
import type { AuthResponse, MeResponse, RefreshResponse, SessionsResponse } from './auth.responses';
import type { LivenessResponse } from './health.responses';
import type { LoginResponse } from './login';
import type { HistoryQuery, MarkReadDto, UploadImageDto } from './messages';
import type {
  ChangesQuery,
  DeleteMessageQuery,
  EditMessageDto,
  ReactionDto,
} from './message-actions';
import type { ChangesResponse, HistoryResponse, MessageResponse } from './messages.responses';
import type { LoginTwoFactorDto, TwoFactorDisableDto, TwoFactorEnableDto } from './two-factor';
import type { TwoFactorEnableResponse, TwoFactorSetupResponse } from './two-factor.responses';
import type {
  BlockUserDto,
  ContactSettingsDto,
  FriendRequestIdDto,
  RemoveContactDto,
  SearchUsersQuery,
  SendFriendRequestDto,
} from './social';
import type {
  BlockResponse,
  BlocksResponse,
  ContactResponse,
  ContactsResponse,
  EmptyResponse,
  PendingRequestsResponse,
  SendFriendRequestResponse,
  SentRequestsResponse,
  SearchUsersResponse,
} from './social.responses';

/**
 * Every REST endpoint: `'METHOD /path/:param'` → its request body, query and success body.
 * The web client takes paths and types only from here, and an API e2e test checks that this
 * map and the OpenAPI document list the same operations, so neither can drift.
 * Body and query types are the DTO classes the API validates with (type-only imports).
 */
export interface Route<Response, Body = undefined, Query = undefined> {
  /** Phantom fields: they only carry types. */
  readonly response?: Response;
  readonly body?: Body;
  readonly query?: Query;
}

const route = <Response, Body = undefined, Query = undefined>(): Route<Response, Body, Query> =>
  ({}) as Route<Response, Body, Query>;

export const apiRoutes = {
  'POST /api/signup': route<AuthResponse, SignupDto>(),
  /** `AuthResponse`, or a challenge for `POST /api/login/2fa` when two-factor sign-in is on. */
  'POST /api/login': route<LoginResponse, LoginDto>(),
  'POST /api/login/2fa': route<AuthResponse, LoginTwoFactorDto>(),
  'POST /api/refresh': route<RefreshResponse>(),
  'POST /api/logout': route<void>(),
  'GET /api/me': route<MeResponse>(),
  'DELETE /api/me': route<void, DeleteAccountDto>(),
  'GET /api/sessions': route<SessionsResponse>(),
  'DELETE /api/sessions/:id': route<void>(),
  'POST /api/password': route<void, ChangePasswordDto>(),
  'POST /api/2fa/setup': route<TwoFactorSetupResponse>(),
  'POST /api/2fa/enable': route<TwoFactorEnableResponse, TwoFactorEnableDto>(),
  'POST /api/2fa/disable': route<void, TwoFactorDisableDto>(),

  'GET /api/users/search': route<SearchUsersResponse, undefined, SearchUsersQuery>(),
  'POST /api/friend-requests/send': route<SendFriendRequestResponse, SendFriendRequestDto>(),
  'GET /api/friend-requests/pending': route<PendingRequestsResponse>(),
  'GET /api/friend-requests/sent': route<SentRequestsResponse>(),
  'POST /api/friend-requests/accept': route<ContactResponse, FriendRequestIdDto>(),
  'POST /api/friend-requests/reject': route<EmptyResponse, FriendRequestIdDto>(),
  'POST /api/friend-requests/cancel': route<EmptyResponse, FriendRequestIdDto>(),
  'GET /api/contacts': route<ContactsResponse>(),
  'POST /api/contacts/remove': route<EmptyResponse, RemoveContactDto>(),
  'PUT /api/contacts/:contactId/settings': route<ContactResponse, ContactSettingsDto>(),
  'GET /api/blocks': route<BlocksResponse>(),
  'POST /api/blocks': route<BlockResponse, BlockUserDto>(),
  'DELETE /api/blocks/:userId': route<void>(),

  'GET /api/conversations/:contactId/messages': route<HistoryResponse, undefined, HistoryQuery>(),
  'GET /api/conversations/:contactId/changes': route<ChangesResponse, undefined, ChangesQuery>(),
  'POST /api/conversations/:contactId/read': route<void, MarkReadDto>(),
  /** Multipart: the `image` file plus these fields. */
  'POST /api/messages/image': route<MessageResponse, UploadImageDto>(),
  'PATCH /api/messages/:id': route<MessageResponse, EditMessageDto>(),
  'DELETE /api/messages/:id': route<void, undefined, DeleteMessageQuery>(),
  'PUT /api/messages/:id/reaction': route<MessageResponse, ReactionDto>(),
  'DELETE /api/messages/:id/reaction': route<MessageResponse>(),
  /** Binary bodies: fetched as blobs. */
  'GET /api/media/:id': route<Blob>(),
  'GET /api/media/:id/thumbnail': route<Blob>(),

  'GET /api/health': route<LivenessResponse>(),
  'GET /api/health/ready': route<{ status: string }>(),
} as const;

export type ApiRoutes = typeof apiRoutes;
export type RouteKey = keyof ApiRoutes;
export type HttpMethod = RouteKey extends `${infer M} ${string}` ? M : never;

/** The paths (templates such as `/api/media/:id`) that answer `M`. */
export type PathOf<M extends HttpMethod> = {
  [K in RouteKey]: K extends `${M} ${infer P}` ? P : never;
}[RouteKey];

type RouteAt<M extends HttpMethod, P extends PathOf<M>> = ApiRoutes[`${M} ${P}` & RouteKey];

export type ResponseOf<M extends HttpMethod, P extends PathOf<M>> =
  RouteAt<M, P> extends Route<infer R, unknown, unknown> ? R : never;
export type BodyOf<M extends HttpMethod, P extends PathOf<M>> =
  RouteAt<M, P> extends Route<unknown, infer B, unknown> ? B : never;
export type QueryOf<M extends HttpMethod, P extends PathOf<M>> =
  RouteAt<M, P> extends Route<unknown, unknown, infer Q> ? Q : never;

/** `{ contactId: string }` for `/api/conversations/:contactId/messages`. */
export type PathParams<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? { [K in Name]: string } & PathParams<`/${Rest}`>
  : P extends `${string}:${infer Name}`
    ? { [K in Name]: string }
    : Record<never, never>;

/** Fills a path template: `buildPath('/api/media/:id', { id })` → `/api/media/<id>`. */
export function buildPath<P extends string>(template: P, params: PathParams<P>): string {
  const values = params as Record<string, string>;
  return template.replace(/:([A-Za-z]+)/g, (_match, name: string) => {
    const value = values[name];
    if (typeof value !== 'string' || value === '')
      throw new Error(`missing path parameter "${name}" for ${template}`);
    return encodeURIComponent(value);
  });
}
