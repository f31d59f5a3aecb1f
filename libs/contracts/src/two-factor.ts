import { IsNotEmpty, IsOptional, IsString, Length, Matches } from 'class-validator';
import { RECOVERY_CODE_PATTERN, TOTP_CODE_PATTERN, TWO_FACTOR_CHALLENGE_PATTERN } from './limits';

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
  @Matches(TWO_FACTOR_CHALLENGE_PATTERN, { message: 'challenge is malformed' })
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
