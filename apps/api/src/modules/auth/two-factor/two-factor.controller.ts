import { Body, Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  AuthResponse,
  ErrorCode,
  LoginTwoFactorDto,
  TwoFactorDisableDto,
  TwoFactorEnableDto,
  TwoFactorEnableResponse,
  TwoFactorSetupResponse,
} from '@natter/contracts';
import type { Request, Response } from 'express';
import { AuthUser, CurrentUser, Public } from '../../../common/auth-user';
import { ApiErrors, ApiJsonBody, ApiOk } from '../../../common/swagger';
import { AccountsService } from '../accounts.service';
import { clientInfo } from '../auth.types';
import { setRefreshCookie } from '../refresh-cookie';
import { TwoFactorChallenges } from './two-factor-challenges';
import { TwoFactorService } from './two-factor.service';

@ApiTags('auth')
@Controller()
export class TwoFactorController {
  constructor(
    private readonly twoFactor: TwoFactorService,
    private readonly challenges: TwoFactorChallenges,
    private readonly accounts: AccountsService,
  ) {}

  @Post('2fa/setup')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Start two-factor setup: a new TOTP secret (not active until enabled)',
  })
  @ApiOk(200, '`{ secret, otpauthUri }`', TwoFactorSetupResponse)
  @ApiErrors([409, ErrorCode.TWO_FACTOR_ALREADY_ENABLED])
  setup(@CurrentUser() auth: AuthUser): Promise<TwoFactorSetupResponse> {
    return this.twoFactor.setup(auth);
  }

  @Post('2fa/enable')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Turn two-factor sign-in on with a code from the authenticator',
    description: 'Answers ten single-use recovery codes, shown only this once.',
  })
  @ApiJsonBody(TwoFactorEnableDto)
  @ApiOk(200, '`{ recoveryCodes }`', TwoFactorEnableResponse)
  @ApiErrors(
    [400, ErrorCode.TWO_FACTOR_SETUP_REQUIRED, ErrorCode.INVALID_TWO_FACTOR_CODE],
    [409, ErrorCode.TWO_FACTOR_ALREADY_ENABLED],
  )
  enable(
    @CurrentUser() auth: AuthUser,
    @Body() body: TwoFactorEnableDto,
    @Req() request: Request,
  ): Promise<TwoFactorEnableResponse> {
    return this.twoFactor.enable(auth, body.code, clientInfo(request).ip);
  }

  @Post('2fa/disable')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Turn two-factor sign-in off (password and a code or recovery code)' })
  @ApiJsonBody(TwoFactorDisableDto)
  @ApiOk(204, 'Turned off; other sessions are revoked')
  @ApiErrors(
    [
      400,
      ErrorCode.VALIDATION_FAILED,
      ErrorCode.TWO_FACTOR_NOT_ENABLED,
      ErrorCode.INVALID_TWO_FACTOR_CODE,
    ],
    [401, ErrorCode.INVALID_CREDENTIALS],
  )
  async disable(
    @CurrentUser() auth: AuthUser,
    @Body() body: TwoFactorDisableDto,
    @Req() request: Request,
  ): Promise<void> {
    await this.twoFactor.disable(
      auth,
      body.password,
      { code: body.code, recoveryCode: body.recoveryCode },
      clientInfo(request).ip,
    );
  }

  @Public()
  @Post('login/2fa')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Second sign-in step: the challenge from POST /api/login and a code or recovery code',
  })
  @ApiJsonBody(LoginTwoFactorDto)
  @ApiOk(200, 'Signed in: `{ user, accessToken }` and a refresh cookie', AuthResponse)
  @ApiErrors(
    [400, ErrorCode.VALIDATION_FAILED],
    [401, ErrorCode.CHALLENGE_EXPIRED, ErrorCode.INVALID_TWO_FACTOR_CODE],
  )
  async login(
    @Body() body: LoginTwoFactorDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<AuthResponse> {
    const client = clientInfo(request);
    const { userId, kind } = await this.challenges.complete(
      body.challenge,
      { code: body.code, recoveryCode: body.recoveryCode },
      client.ip,
    );
    const issued = await this.accounts.completeTwoFactorLogin(userId, kind, client);
    setRefreshCookie(request, response, issued.refreshToken, issued.refreshExpiresAt);
    return { user: issued.user, accessToken: issued.accessToken };
  }
}
