import { IsArray, IsIn, IsString } from 'class-validator';

/** `POST /api/2fa/setup`: a new secret, not yet in force until `POST /api/2fa/enable`. */
export class TwoFactorSetupResponse {
  /** Base32, for typing into an authenticator by hand. */
  @IsString()
  secret!: string;

  /** `otpauth://totp/…`, for the QR code. */
  @IsString()
  otpauthUri!: string;
}

/** `POST /api/2fa/enable`. */
export class TwoFactorEnableResponse {
  /** Shown once; only hashes are kept. */
  @IsArray()
  @IsString({ each: true })
  recoveryCodes!: string[];
}

/** `POST /api/login` when the password is right and two-factor sign-in is on. */
export class TwoFactorChallengeResponse {
  @IsIn([true])
  twoFactorRequired!: true;

  /** For `POST /api/login/2fa`, with the code; short-lived and single-use. */
  @IsString()
  challenge!: string;
}
