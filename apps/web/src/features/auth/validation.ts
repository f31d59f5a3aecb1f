import {
  PASSWORD_MAX_BYTES,
  PASSWORD_MIN_BYTES,
  USERNAME_MAX_LENGTH,
  USERNAME_MIN_LENGTH,
  USERNAME_PATTERN,
  utf8ByteLength,
} from '@natter/contracts/client';

/** Client-side mirrors of the contract rules, worded for people; the API stays the judge. */

export type FieldErrors<K extends string> = Partial<Record<K, string>>;

export function validateUsername(username: string): string | undefined {
  if (!username) return 'Enter a username';
  if (username.length < USERNAME_MIN_LENGTH || username.length > USERNAME_MAX_LENGTH) {
    return `Username must be ${USERNAME_MIN_LENGTH}–${USERNAME_MAX_LENGTH} characters`;
  }
  if (!USERNAME_PATTERN.test(username))
    return 'Username may contain only letters, digits, _ . and -';
  return undefined;
}

/** A password that will be stored: byte length as bcrypt sees it, and not the username. */
export function validateNewPassword(password: string, username?: string): string | undefined {
  if (!password) return 'Enter a password';
  const bytes = utf8ByteLength(password);
  if (bytes < PASSWORD_MIN_BYTES)
    return `Password must be at least ${PASSWORD_MIN_BYTES} characters`;
  if (bytes > PASSWORD_MAX_BYTES) {
    return `Password is too long: at most ${PASSWORD_MAX_BYTES} bytes (accented letters and emoji count as 2–4)`;
  }
  if (username && password.toLowerCase() === username.toLowerCase()) {
    return 'Password must not be the same as your username';
  }
  return undefined;
}

export interface Credentials {
  username: string;
  password: string;
}

export function validateSignup({
  username,
  password,
}: Credentials): FieldErrors<keyof Credentials> {
  const errors: FieldErrors<keyof Credentials> = {};
  const u = validateUsername(username);
  if (u) errors.username = u;
  const p = validateNewPassword(password, username);
  if (p) errors.password = p;
  return errors;
}

/** Login only checks presence, so it never hints at which rule an account name breaks. */
export function validateLogin({ username, password }: Credentials): FieldErrors<keyof Credentials> {
  const errors: FieldErrors<keyof Credentials> = {};
  if (!username.trim()) errors.username = 'Enter your username';
  if (!password) errors.password = 'Enter your password';
  return errors;
}

export function hasErrors(errors: Record<string, string | undefined>): boolean {
  return Object.values(errors).some(Boolean);
}
