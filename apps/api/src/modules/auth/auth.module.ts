import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { MongooseModule } from '@nestjs/mongoose';
import { PassportModule } from '@nestjs/passport';
import { AppConfig } from '../../config/app-config';
import { UsersModule } from '../users/users.module';
import { AuthController } from './auth.controller';
import { AccessTokens } from './access-tokens';
import { AccountsService } from './accounts.service';
import { Authenticator } from './authenticator';
import { JwtStrategy } from './jwt.strategy';
import { PasswordHasher } from './password-hasher';
import { Session, SessionRotation, SessionRotationSchema, SessionSchema } from './session.schema';
import { RevokedSessions } from './revoked-sessions';
import { SessionsRepository } from './sessions.repository';
import { SessionsService } from './sessions.service';
import { CodeAttemptLimiter } from './two-factor/code-attempt-limiter';
import { OneTimeCodes } from './two-factor/one-time-codes';
import { SecretCipher } from './two-factor/secret-cipher';
import { TwoFactorChallenges } from './two-factor/two-factor-challenges';
import { TwoFactorController } from './two-factor/two-factor.controller';
import { TwoFactorRepository } from './two-factor/two-factor.repository';
import {
  TwoFactorChallenge,
  TwoFactorChallengeSchema,
  TwoFactorClaim,
  TwoFactorClaimSchema,
  TwoFactorSecret,
  TwoFactorSecretSchema,
} from './two-factor/two-factor.schema';
import { TwoFactorService } from './two-factor/two-factor.service';

@Module({
  imports: [
    UsersModule,
    PassportModule,
    JwtModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        secret: config.jwtSecret,
        signOptions: { algorithm: 'HS256' },
        verifyOptions: { algorithms: ['HS256'] },
      }),
    }),
    MongooseModule.forFeature([
      { name: Session.name, schema: SessionSchema },
      { name: SessionRotation.name, schema: SessionRotationSchema },
      { name: TwoFactorSecret.name, schema: TwoFactorSecretSchema },
      { name: TwoFactorChallenge.name, schema: TwoFactorChallengeSchema },
      { name: TwoFactorClaim.name, schema: TwoFactorClaimSchema },
    ]),
  ],
  controllers: [AuthController, TwoFactorController],
  providers: [
    AccessTokens,
    Authenticator,
    SessionsService,
    AccountsService,
    SessionsRepository,
    PasswordHasher,
    JwtStrategy,
    TwoFactorService,
    TwoFactorChallenges,
    TwoFactorRepository,
    OneTimeCodes,
    SecretCipher,
    CodeAttemptLimiter,
    RevokedSessions,
  ],
  exports: [Authenticator, SessionsService, AccountsService, TwoFactorService, RevokedSessions],
})
export class AuthModule {}
