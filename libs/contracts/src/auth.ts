import {
  IsNotEmpty,
  IsString,
  Length,
  Matches,
  Validate,
  ValidationArguments,
  ValidatorConstraint,
  ValidatorConstraintInterface,
} from 'class-validator';
import {
  PASSWORD_MAX_BYTES,
  PASSWORD_MIN_BYTES,
  USERNAME_MAX_LENGTH,
  USERNAME_MIN_LENGTH,
  USERNAME_PATTERN,
  utf8ByteLength,
} from './limits';

/** Password length is measured in UTF-8 bytes because that is what bcrypt consumes. */
@ValidatorConstraint({ name: 'passwordBytes' })
export class PasswordBytesConstraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    if (typeof value !== 'string') return false;
    const bytes = utf8ByteLength(value);
    return bytes >= PASSWORD_MIN_BYTES && bytes <= PASSWORD_MAX_BYTES;
  }
  defaultMessage(args: ValidationArguments): string {
    return `${args.property} must be ${PASSWORD_MIN_BYTES}–${PASSWORD_MAX_BYTES} bytes long`;
  }
}

@ValidatorConstraint({ name: 'passwordNotUsername' })
export class PasswordNotUsernameConstraint implements ValidatorConstraintInterface {
  validate(value: unknown, args: ValidationArguments): boolean {
    const username = (args.object as { username?: unknown }).username;
    if (typeof value !== 'string' || typeof username !== 'string') return true;
    return value.toLowerCase() !== username.toLowerCase();
  }
  defaultMessage(): string {
    return 'password must not be the username';
  }
}

export class SignupDto {
  @IsString()
  @Length(USERNAME_MIN_LENGTH, USERNAME_MAX_LENGTH)
  @Matches(USERNAME_PATTERN, { message: 'username may contain only letters, digits, _ . and -' })
  username!: string;

  @IsString()
  @Validate(PasswordBytesConstraint)
  @Validate(PasswordNotUsernameConstraint)
  password!: string;
}

/** Login accepts any non-empty strings so that it never reveals which rule a name breaks. */
export class LoginDto {
  @IsString()
  @IsNotEmpty()
  @Length(1, 100)
  username!: string;

  @IsString()
  @IsNotEmpty()
  @Length(1, 200)
  password!: string;
}

export class ChangePasswordDto {
  @IsString()
  @IsNotEmpty()
  @Length(1, 200)
  currentPassword!: string;

  @IsString()
  @Validate(PasswordBytesConstraint)
  newPassword!: string;
}

export class DeleteAccountDto {
  @IsString()
  @IsNotEmpty()
  @Length(1, 200)
  password!: string;
}
