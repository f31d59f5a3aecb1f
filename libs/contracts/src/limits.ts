/** Limits shared by the API (enforcement) and the web app (form hints and checks). */
export const USERNAME_MIN_LENGTH = 3;
export const USERNAME_MAX_LENGTH = 20;
/** Letters, digits, `_`, `.` and `-`. */
export const USERNAME_PATTERN = /^[A-Za-z0-9_.-]+$/;

/** bcrypt reads at most 72 bytes, so longer passwords would be silently truncated. */
export const PASSWORD_MIN_BYTES = 8;
export const PASSWORD_MAX_BYTES = 72;

export const SEARCH_QUERY_MIN_LENGTH = 2;
export const SEARCH_QUERY_MAX_LENGTH = 20;
export const SEARCH_RESULTS_MAX = 10;

export const MESSAGE_TEXT_MAX_LENGTH = 4000;
/** An image's caption (SPEC §8.1), after trimming. */
export const IMAGE_CAPTION_MAX_LENGTH = 1000;
export const HISTORY_PAGE_DEFAULT = 50;
export const HISTORY_PAGE_MAX = 100;

/** A client-chosen id that makes a send idempotent (a UUID in practice). */
export const CLIENT_ID_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;

export const IMAGE_MAX_BYTES = 5 * 1024 * 1024;
export const IMAGE_MIME_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const;
export type ImageMimeType = (typeof IMAGE_MIME_TYPES)[number];

/** Images whose decoded size exceeds this many pixels (all frames together) are refused. */
export const IMAGE_MAX_PIXELS = 50_000_000;
/** Animated GIF/WebP images may have at most this many frames. */
export const IMAGE_MAX_FRAMES = 200;
/** Thumbnails fit in a square of this many pixels (WebP). */
export const IMAGE_THUMBNAIL_MAX_EDGE = 320;
/** The multipart field that carries the file in `POST /api/messages/image`. */
export const IMAGE_UPLOAD_FIELD = 'image';

/** How much of the original's text a reply quotes. */
export const REPLY_QUOTE_LENGTH = 200;
/** Upper bound on a reaction's UTF-16 length, checked before any segmentation work. */
export const REACTION_MAX_LENGTH = 32;
/** Most entries one `changes` call returns; `hasMore` says when to ask again. */
export const CHANGES_PAGE_MAX = 100;
/** The six reactions offered first in the message menu. */
export const QUICK_REACTIONS = ['👍', '❤️', '😂', '😮', '😢', '🙏'] as const;
/** Defaults of MESSAGE_EDIT_WINDOW_SECONDS and MESSAGE_DELETE_WINDOW_SECONDS. */
export const MESSAGE_EDIT_WINDOW_DEFAULT_SECONDS = 86_400;
export const MESSAGE_DELETE_WINDOW_DEFAULT_SECONDS = 172_800;

/** `DELETE /api/messages/{id}?for=`: a tombstone for both sides, or hidden for you only. */
export type DeleteScope = 'everyone' | 'me';
export const DELETE_SCOPES: readonly DeleteScope[] = ['everyone', 'me'];

/**
 * `<changeSeq>.<messageSeq>`: how far the holder has seen the conversation's change log and its
 * messages. Opaque to clients; decimal integers without leading zeros, 15 digits at most.
 */
export const CHANGE_CURSOR_PATTERN = /^(0|[1-9]\d{0,14})\.(0|[1-9]\d{0,14})$/;

/** How long a "typing" indicator lasts on the receiving side without a refresh. */
export const TYPING_TIMEOUT_MS = 6000;

/** RFC 6238 parameters every authenticator app understands (SPEC §8.3). */
export const TOTP_DIGITS = 6;
export const TOTP_PERIOD_SECONDS = 30;
export const RECOVERY_CODE_COUNT = 10;
/** A six-digit code; spaces are not accepted (the web client strips them). */
export const TOTP_CODE_PATTERN = /^\d{6}$/;
/** Recovery codes look like `abcde-fghij` (lower-case base32); case and the dash are optional. */
export const RECOVERY_CODE_PATTERN = /^[A-Za-z2-7]{5}-?[A-Za-z2-7]{5}$/;

/** The opaque token `POST /api/login` answers with when a code is needed. */
export const TWO_FACTOR_CHALLENGE_PATTERN = /^[A-Za-z0-9_-]{20,100}$/;

export function utf8ByteLength(value: string): number {
  return new TextEncoder().encode(value).length;
}

/**
 * Every request body, query string and socket event payload is refused before validation
 * when it nests deeper than this (objects and arrays) or holds more values than
 * MAX_INPUT_NODES. No legitimate input comes close: the deepest contract DTO is two levels.
 */
export const MAX_INPUT_DEPTH = 8;
export const MAX_INPUT_NODES = 1000;
