import { IsBoolean, IsMongoId, IsString } from 'class-validator';
import { Nested, NestedArray, Timestamp } from './schema-decorators';

/** `user` in every response: never a hash, never an email. */
export class PublicUser {
  @IsMongoId()
  id!: string;

  @IsString()
  username!: string;

  @Timestamp()
  createdAt!: string;

  /** Whether signing in asks for a one-time code after the password (SPEC §8.3). */
  @IsBoolean()
  twoFactorEnabled!: boolean;
}

/** `POST /api/signup` (201) and `POST /api/login` (200), with a refresh cookie. */
export class AuthResponse {
  @Nested(() => PublicUser)
  user!: PublicUser;

  @IsString()
  accessToken!: string;
}

/** `POST /api/refresh`, with a rotated refresh cookie. */
export class RefreshResponse {
  @IsString()
  accessToken!: string;
}

/** `GET /api/me`. */
export class MeResponse {
  @Nested(() => PublicUser)
  user!: PublicUser;
}

export class SessionInfo {
  @IsMongoId()
  id!: string;

  @IsString()
  userAgent!: string;

  @IsString()
  ip!: string;

  @Timestamp()
  createdAt!: string;

  @Timestamp()
  lastUsedAt!: string;

  /** The session this request was made with. */
  @IsBoolean()
  current!: boolean;
}

/** `GET /api/sessions`. */
export class SessionsResponse {
  @NestedArray(() => SessionInfo)
  sessions!: SessionInfo[];
}
