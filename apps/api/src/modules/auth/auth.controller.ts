import { Body, Controller, Delete, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  AuthResponse,
  ChangePasswordDto,
  DeleteAccountDto,
  ErrorCode,
  IdParam,
  LoginDto,
  LoginResponse,
  MeResponse,
  RefreshResponse,
  SessionsResponse,
  SignupDto,
  TwoFactorChallengeResponse,
} from '@natter/contracts';
import type { Request, Response } from 'express';
import { ApiException } from '../../common/api-exception';
import { AuthUser, CurrentUser, Public } from '../../common/auth-user';
import { isCrossSiteRequest } from '../../common/origin-policy';
import { ApiErrors, ApiJsonBody, ApiOk, schemaRef } from '../../common/swagger';
import { RateBucket } from '../../common/throttling';
import { AppConfig } from '../../config/app-config';
import { AccountsService } from './accounts.service';
import { clientInfo, IssuedSession } from './auth.types';
import { Authenticator } from './authenticator';
import { clearRefreshCookie, readRefreshCookie, setRefreshCookie } from './refresh-cookie';
import { SessionsService } from './sessions.service';

@ApiTags('auth')
@Controller()
export class AuthController {
  constructor(
    private readonly accounts: AccountsService,
    private readonly sessionsService: SessionsService,
    private readonly authenticator: Authenticator,
    private readonly config: AppConfig,
  ) {}

  @Public()
  @RateBucket('signup')
  @Post('signup')
  @ApiOperation({ summary: 'Create an account and sign in' })
  @ApiJsonBody(SignupDto)
  @ApiOk(201, 'Signed up: `{ user, accessToken }` and a refresh cookie', AuthResponse)
  @ApiErrors([409, ErrorCode.USERNAME_TAKEN])
  async signup(
    @Body() body: SignupDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<AuthResponse> {
    return this.respondWithSession(
      request,
      response,
      await this.accounts.signup(body.username, body.password, clientInfo(request)),
    );
  }

  @Public()
  @RateBucket('login')
  @Post('login')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Sign in',
    description:
      'With two-factor sign-in on, a right password answers `{ twoFactorRequired: true, challenge }` ' +
      '(no tokens, no cookie); finish with POST /api/login/2fa.',
  })
  @ApiJsonBody(LoginDto)
  @ApiOk(
    200,
    'Signed in: `{ user, accessToken }` and a refresh cookie, or `{ twoFactorRequired, challenge }` (no cookie)',
    {
      oneOf: [schemaRef(AuthResponse.name), schemaRef(TwoFactorChallengeResponse.name)],
    },
  )
  @ApiErrors([401, ErrorCode.INVALID_CREDENTIALS])
  async login(
    @Body() body: LoginDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<LoginResponse> {
    const result = await this.accounts.login(body.username, body.password, clientInfo(request));
    return 'refreshToken' in result ? this.respondWithSession(request, response, result) : result;
  }

  @Public()
  @Post('refresh')
  @HttpCode(200)
  @ApiCookieAuth('refresh')
  @ApiOperation({
    summary: 'Exchange the refresh cookie for a new access token (the cookie rotates)',
  })
  @ApiOk(200, '`{ accessToken }` and a rotated refresh cookie', RefreshResponse)
  @ApiErrors(
    [401, ErrorCode.INVALID_REFRESH_TOKEN, ErrorCode.UNAUTHORIZED],
    [403, ErrorCode.CROSS_SITE_REQUEST],
  )
  async refresh(
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<RefreshResponse> {
    this.refuseCrossSite(request);
    try {
      const result = await this.sessionsService.refresh(readRefreshCookie(request));
      setRefreshCookie(request, response, result.refreshToken, result.refreshExpiresAt);
      return { accessToken: result.accessToken };
    } catch (error) {
      clearRefreshCookie(request, response);
      throw error;
    }
  }

  @Public()
  @Post('logout')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiCookieAuth('refresh')
  @ApiOperation({ summary: 'End this session (by access token or refresh cookie)' })
  @ApiOk(204, 'Signed out; the cookie is cleared')
  @ApiErrors([403, ErrorCode.CROSS_SITE_REQUEST])
  async logout(
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<void> {
    this.refuseCrossSite(request);
    const header = request.headers.authorization;
    const bearer = header?.startsWith('Bearer ') ? header.slice(7) : null;
    const auth = bearer ? await this.authenticator.authenticate(bearer).catch(() => null) : null;
    await this.sessionsService.logout(auth, readRefreshCookie(request));
    clearRefreshCookie(request, response);
  }

  @Get('me')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The signed-in user' })
  @ApiOk(200, '`{ user }`', MeResponse)
  async me(@CurrentUser() auth: AuthUser): Promise<MeResponse> {
    return { user: await this.accounts.me(auth) };
  }

  @Delete('me')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Delete the account and all its data (password required)' })
  @ApiJsonBody(DeleteAccountDto)
  @ApiOk(204, 'Deleted')
  @ApiErrors([401, ErrorCode.INVALID_CREDENTIALS])
  async deleteAccount(
    @CurrentUser() auth: AuthUser,
    @Body() body: DeleteAccountDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<void> {
    await this.accounts.deleteAccount(auth, body.password, clientInfo(request).ip);
    clearRefreshCookie(request, response);
  }

  @Get('sessions')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Active sessions of the signed-in user' })
  @ApiOk(
    200,
    '`{ sessions: [{ id, userAgent, ip, createdAt, lastUsedAt, current }] }`',
    SessionsResponse,
  )
  async sessions(@CurrentUser() auth: AuthUser): Promise<SessionsResponse> {
    return { sessions: await this.sessionsService.list(auth) };
  }

  @Delete('sessions/:id')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Revoke a session; its sockets are disconnected' })
  @ApiOk(204, 'Revoked')
  @ApiErrors([404, ErrorCode.SESSION_NOT_FOUND])
  async revokeSession(
    @CurrentUser() auth: AuthUser,
    @Param() params: IdParam,
    @Req() request: Request,
  ): Promise<void> {
    await this.sessionsService.revoke(auth, params.id, clientInfo(request).ip);
  }

  @Post('password')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Change the password; every other session is revoked' })
  @ApiJsonBody(ChangePasswordDto)
  @ApiOk(204, 'Changed')
  @ApiErrors([400, ErrorCode.VALIDATION_FAILED], [401, ErrorCode.INVALID_CREDENTIALS])
  async changePassword(
    @CurrentUser() auth: AuthUser,
    @Body() body: ChangePasswordDto,
    @Req() request: Request,
  ): Promise<void> {
    await this.accounts.changePassword(
      auth,
      body.currentPassword,
      body.newPassword,
      clientInfo(request).ip,
    );
  }

  private respondWithSession(
    request: Request,
    response: Response,
    issued: IssuedSession,
  ): AuthResponse {
    setRefreshCookie(request, response, issued.refreshToken, issued.refreshExpiresAt);
    return { user: issued.user, accessToken: issued.accessToken };
  }

  private refuseCrossSite(request: Request): void {
    if (isCrossSiteRequest(request.headers, this.config.corsOrigins)) {
      throw new ApiException(403, ErrorCode.CROSS_SITE_REQUEST, 'Cross-site request refused');
    }
  }
}
