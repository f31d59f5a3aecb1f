import { ErrorCode, IMAGE_MAX_BYTES, type ApiError } from '@natter/contracts/client';

/** A non-2xx answer from the API, carrying its `{ statusCode, error, message, code }` body. */
export class HttpError extends Error {
  readonly status: number;
  readonly code: string | undefined;
  readonly body: Partial<ApiError> | null;

  constructor(status: number, body: Partial<ApiError> | null) {
    super(serverMessage(body) ?? `Request failed (${status})`);
    this.name = 'HttpError';
    this.status = status;
    this.code = typeof body?.code === 'string' ? body.code : undefined;
    this.body = body;
  }
}

/** The request never got an answer (offline, server down, aborted). */
export class NetworkError extends Error {
  constructor(message = 'Network request failed') {
    super(message);
    this.name = 'NetworkError';
  }
}

function serverMessage(body: Partial<ApiError> | null): string | undefined {
  const message = body?.message;
  if (Array.isArray(message)) return message.filter((m) => typeof m === 'string').join('. ');
  return typeof message === 'string' && message ? message : undefined;
}

const imageLimit = `${Math.round(IMAGE_MAX_BYTES / (1024 * 1024))} MB`;

const CODE_MESSAGES: Partial<Record<string, string>> = {
  [ErrorCode.USERNAME_TAKEN]: 'That username is taken',
  [ErrorCode.INVALID_CREDENTIALS]: 'Wrong username or password',
  [ErrorCode.RATE_LIMITED]: 'Too many attempts. Please wait a moment and try again.',
  [ErrorCode.INVALID_REFRESH_TOKEN]: 'Your session has ended. Please sign in again.',
  [ErrorCode.UNAUTHORIZED]: 'Your session has ended. Please sign in again.',
  [ErrorCode.CROSS_SITE_REQUEST]: 'This request was refused for security reasons.',
  [ErrorCode.SESSION_NOT_FOUND]: 'That session no longer exists',
  [ErrorCode.INVALID_TWO_FACTOR_CODE]: 'That code is not right or was already used',
  [ErrorCode.CHALLENGE_EXPIRED]: 'That sign-in has expired. Please start again.',
  [ErrorCode.TWO_FACTOR_ALREADY_ENABLED]: 'Two-factor sign-in is already on',
  [ErrorCode.TWO_FACTOR_NOT_ENABLED]: 'Two-factor sign-in is not on',
  [ErrorCode.TWO_FACTOR_SETUP_REQUIRED]: 'Start the two-factor setup again',
  [ErrorCode.USER_NOT_FOUND]: 'No user with that name',
  [ErrorCode.CANNOT_ADD_SELF]: "You can't add yourself",
  [ErrorCode.ALREADY_CONTACTS]: 'You are already contacts',
  [ErrorCode.REQUEST_ALREADY_SENT]: 'You already sent a request to this user',
  [ErrorCode.REQUEST_NOT_FOUND]: 'That request is no longer pending',
  [ErrorCode.CONTACT_NOT_FOUND]: 'That person is not in your contacts',
  [ErrorCode.NOT_A_CONTACT]: 'That person is not in your contacts',
  [ErrorCode.BLOCKED]: "You can't interact with this user",
  [ErrorCode.CANNOT_BLOCK_SELF]: "You can't block yourself",
  [ErrorCode.BLOCK_NOT_FOUND]: 'That user is not blocked',
  [ErrorCode.MEDIA_NOT_FOUND]: 'That image is no longer available',
  [ErrorCode.IMAGE_TOO_LARGE]: `That image is larger than ${imageLimit}`,
  [ErrorCode.PAYLOAD_TOO_LARGE]: `That file is larger than ${imageLimit}`,
  [ErrorCode.UNSUPPORTED_IMAGE]: 'Only PNG, JPEG, GIF and WebP images can be sent',
  [ErrorCode.UNSUPPORTED_MEDIA_TYPE]: 'Only PNG, JPEG, GIF and WebP images can be sent',
  [ErrorCode.FORBIDDEN]: "You're not allowed to do that",
  [ErrorCode.NOT_FOUND]: 'Not found',
};

/**
 * A sentence a person can act on, for any error the app can meet. `overrides` lets a screen
 * word a code for its context (a wrong password on "delete account" is not a failed login).
 */
export function errorMessage(
  error: unknown,
  overrides: Partial<Record<string, string>> = {},
): string {
  if (error instanceof HttpError) {
    const byCode = error.code ? (overrides[error.code] ?? CODE_MESSAGES[error.code]) : undefined;
    if (byCode) return byCode;
    if (error.status === 429) return CODE_MESSAGES[ErrorCode.RATE_LIMITED]!;
    if (error.status === 413) return CODE_MESSAGES[ErrorCode.IMAGE_TOO_LARGE]!;
    if (error.status === 415) return CODE_MESSAGES[ErrorCode.UNSUPPORTED_IMAGE]!;
    if (error.status >= 500) return 'Something went wrong on our side. Please try again.';
    return serverMessage(error.body) ?? `Request failed (${error.status})`;
  }
  if (error instanceof NetworkError) return "Can't reach the server. Check your connection.";
  if (error instanceof Error && error.message) return error.message;
  return 'Something went wrong. Please try again.';
}
