import { IsNotEmpty, IsOptional, IsString, Length, Matches } from 'class-validator';
import type { AuthResponse } from './auth';

/** RFC 6238 parameters every authenticator app understands (SPEC §8.3). */
export const TOTP_DIGITS = 6;
export const TOTP_PERIOD_SECONDS = 30;
export const RECOVERY_CODE_COUNT = 10;
/** A six-digit code; spaces are not accepted (the web client strips them). */
export const TOTP_CODE_PATTERN = /^\d{6}$/;
/** Recovery codes look like `abcde-fghij` (lower-case base32); case and the dash are optional. */
export const RECOVERY_CODE_PATTERN = /^[A-Za-z2-7]{5}-?[A-Za-z2-7]{5}$/;

export class TwoFactorEnableDto {
  @IsString()
  @Matches(TOTP_CODE_PATTERN, { message: 'code must be 6 digits' })
  code!: string;
}

/** Either `code` or `recoveryCode`; the service refuses none or both. */
export class TwoFactorDisableDto {
  @IsString()
  @IsNotEmpty()
  @Length(1, 200)
  password!: string;

  @IsOptional()
  @IsString()
  @Matches(TOTP_CODE_PATTERN, { message: 'code must be 6 digits' })
  code?: string;

  @IsOptional()
  @IsString()
  @Matches(RECOVERY_CODE_PATTERN, { message: 'recoveryCode must look like abcde-fghij' })
  recoveryCode?: string;
}

/** The second sign-in step: the challenge from POST /api/login and a code or recovery code. */
export class LoginTwoFactorDto {
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{20,100}$/, { message: 'challenge is malformed' })
  challenge!: string;

  @IsOptional()
  @IsString()
  @Matches(TOTP_CODE_PATTERN, { message: 'code must be 6 digits' })
  code?: string;

  @IsOptional()
  @IsString()
  @Matches(RECOVERY_CODE_PATTERN, { message: 'recoveryCode must look like abcde-fghij' })
  recoveryCode?: string;
}

export interface TwoFactorSetupResponse {
  /** Base32, for typing into an authenticator by hand. */
  secret: string;
  /** `otpauth://totp/…`, for the QR code. */
  otpauthUri: string;
}

export interface TwoFactorEnableResponse {
  /** Shown once; only hashes are kept. */
  recoveryCodes: string[];
}

/** POST /api/login when the password is right and two-factor sign-in is on. */
export interface TwoFactorChallengeResponse {
  twoFactorRequired: true;
  challenge: string;
}

export type LoginResponse = AuthResponse | TwoFactorChallengeResponse;

export const isTwoFactorChallenge = (
  response: LoginResponse,
): response is TwoFactorChallengeResponse =>
  (response as TwoFactorChallengeResponse).twoFactorRequired === true;
