import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';
import { DATA_KEY_PATTERN } from './jwt-secret';

const toBoolean = Transform(({ value }) =>
  typeof value === 'string' ? ['1', 'true', 'yes'].includes(value.toLowerCase()) : value,
);

/** Every environment variable the API reads, with its default. `.env.example` mirrors it. */
export class EnvironmentVariables {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @IsString()
  HOST = '127.0.0.1';

  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 8080;

  @IsOptional()
  @Matches(/^mongodb(\+srv)?:\/\//, {
    message: 'MONGODB_URI must start with mongodb:// or mongodb+srv://',
  })
  MONGODB_URI?: string;

  @IsString()
  DATA_DIR = '.data';

  @IsOptional()
  @IsString()
  WEB_DIST?: string;

  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters' })
  JWT_SECRET?: string;

  /** 64 hex digits (AES-256-GCM key for data at rest, e.g. TOTP secrets). */
  @IsOptional()
  @Matches(DATA_KEY_PATTERN, { message: 'DATA_ENCRYPTION_KEY must be 64 hex digits (32 bytes)' })
  DATA_ENCRYPTION_KEY?: string;

  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(30)
  @Max(3600)
  ACCESS_TOKEN_TTL_SECONDS = 900;

  /** How long the second sign-in step may take after the password was accepted. */
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  @Max(3600)
  TWO_FACTOR_CHALLENGE_TTL_SECONDS = 300;

  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  @Max(365)
  REFRESH_TOKEN_TTL_DAYS = 30;

  @IsString()
  CORS_ORIGINS = '';

  @IsOptional()
  @Matches(/^rediss?:\/\//, { message: 'REDIS_URL must start with redis:// or rediss://' })
  REDIS_URL?: string;

  /** Namespaces every Redis key and channel, so several deployments (or test runs) can share a server. */
  @IsString()
  REDIS_KEY_PREFIX = 'natter:';

  @toBoolean
  @IsBoolean()
  TRUST_PROXY = false;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  @Transform(({ value }) => Number(value)) @IsInt() @Min(1) RATE_LOGIN_IP_LIMIT = 20;
  @Transform(({ value }) => Number(value)) @IsInt() @Min(1) RATE_LOGIN_IP_WINDOW_SECONDS = 60;
  @Transform(({ value }) => Number(value)) @IsInt() @Min(1) RATE_LOGIN_USERNAME_LIMIT = 10;
  @Transform(({ value }) => Number(value)) @IsInt() @Min(1) RATE_LOGIN_USERNAME_WINDOW_SECONDS =
    300;
  @Transform(({ value }) => Number(value)) @IsInt() @Min(1) RATE_SIGNUP_IP_LIMIT = 10;
  @Transform(({ value }) => Number(value)) @IsInt() @Min(1) RATE_SIGNUP_IP_WINDOW_SECONDS = 3600;
  @Transform(({ value }) => Number(value)) @IsInt() @Min(1) RATE_API_USER_LIMIT = 600;
  @Transform(({ value }) => Number(value)) @IsInt() @Min(1) RATE_API_USER_WINDOW_SECONDS = 60;
  @Transform(({ value }) => Number(value)) @IsInt() @Min(1) RATE_SOCKET_EVENTS_LIMIT = 120;
  @Transform(({ value }) => Number(value)) @IsInt() @Min(1) RATE_SOCKET_EVENTS_WINDOW_SECONDS = 10;
  @Transform(({ value }) => Number(value)) @IsInt() @Min(1) RATE_TWO_FACTOR_USER_LIMIT = 10;
  @Transform(({ value }) => Number(value)) @IsInt() @Min(1) RATE_TWO_FACTOR_USER_WINDOW_SECONDS =
    300;
  @Transform(({ value }) => Number(value)) @IsInt() @Min(1) RATE_UPLOADS_LIMIT = 30;
  @Transform(({ value }) => Number(value)) @IsInt() @Min(1) RATE_UPLOADS_WINDOW_SECONDS = 60;

  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1024)
  SOCKET_MAX_PAYLOAD_BYTES = 65536;

  /** Port of the Prometheus metrics server; unset: no metrics server. 0 picks a free port. */
  @IsOptional()
  @Transform(({ value }) => (value === '' || value === undefined ? undefined : Number(value)))
  @IsInt()
  @Min(0)
  @Max(65535)
  METRICS_PORT?: number;

  /** Address the metrics server binds to; keep it off the public network. */
  @IsString()
  METRICS_HOST = '127.0.0.1';
  /** How long after sending a text message its sender may edit it. */
  @Transform(({ value }) => Number(value)) @IsInt() @Min(1) MESSAGE_EDIT_WINDOW_SECONDS = 86400;
  /** How long after sending a message its sender may delete it for everyone. */
  @Transform(({ value }) => Number(value)) @IsInt() @Min(1) MESSAGE_DELETE_WINDOW_SECONDS = 172800;
  /**
   * Least time between two writes of one conversation's summary (the contacts list's preview
   * and unread counters, written behind the messages). A message after a quiet spell is
   * written at once; under load each conversation is written at most once per interval.
   * Another API process shows a new message in its contacts list at most this much later;
   * the process that delivered it shows it at once. 0 writes as fast as rounds complete.
   */
  @Transform(({ value }) => Number(value)) @IsInt() @Min(0) @Max(10000) SUMMARY_INTERVAL_MS = 1000;
}

/**
 * Validates `process.env` at boot. Unknown variables are ignored (the environment holds many);
 * a bad value fails fast with a message naming the variable.
 */
export function validateEnvironment(raw: Record<string, unknown>): EnvironmentVariables {
  const env = plainToInstance(EnvironmentVariables, raw);
  // whitelist drops every variable this class does not declare (the environment holds many).
  const errors = validateSync(env, { whitelist: true });
  if (errors.length > 0) {
    const details = errors
      .map((error) => `  ${error.property}: ${Object.values(error.constraints ?? {}).join('; ')}`)
      .join('\n');
    throw new Error(`Invalid configuration:\n${details}`);
  }
  const missingInProduction = (['JWT_SECRET', 'DATA_ENCRYPTION_KEY'] as const).filter(
    (name) => env.NODE_ENV === 'production' && !env[name],
  );
  if (missingInProduction.length > 0) {
    const details = missingInProduction
      .map((name) => `  ${name}: required when NODE_ENV=production`)
      .join('\n');
    throw new Error(`Invalid configuration:\n${details}`);
  }
  return env;
}
