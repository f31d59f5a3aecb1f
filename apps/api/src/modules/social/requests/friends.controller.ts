import { Body, Controller, Get, HttpCode, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ContactResponse,
  ErrorCode,
  FriendRequestIdDto,
  FriendRequestResponse,
  PendingRequestsResponse,
  SendFriendRequestDto,
  SendFriendRequestResponse,
  SentRequestsResponse,
} from '@natter/contracts';
import type { Response } from 'express';
import { AuthUser, CurrentUser } from '../../../common/auth-user';
import { ApiErrors, ApiJsonBody, ApiOk, EMPTY_OBJECT } from '../../../common/swagger';
import { FriendsService } from './friends.service';

@ApiTags('friend-requests')
@ApiBearerAuth()
@Controller('friend-requests')
export class FriendsController {
  constructor(private readonly friends: FriendsService) {}

  @Post('send')
  @ApiOperation({ summary: 'Send a friend request (accepts theirs if they already asked you)' })
  @ApiJsonBody(SendFriendRequestDto)
  @ApiOk(201, 'Request sent: `{ request }`', FriendRequestResponse)
  @ApiOk(200, 'They had already asked you, so you are now contacts: `{ contact }`', ContactResponse)
  @ApiErrors(
    [400, ErrorCode.CANNOT_ADD_SELF],
    [403, ErrorCode.BLOCKED],
    [404, ErrorCode.USER_NOT_FOUND],
    [409, ErrorCode.ALREADY_CONTACTS, ErrorCode.REQUEST_ALREADY_SENT],
  )
  async send(
    @CurrentUser() auth: AuthUser,
    @Body() body: SendFriendRequestDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SendFriendRequestResponse> {
    const outcome = await this.friends.send(auth.userId, body.username);
    response.status('contact' in outcome ? 200 : 201);
    return outcome;
  }

  @Get('pending')
  @ApiOperation({ summary: 'Incoming pending requests, newest first' })
  @ApiOk(200, '`{ requests: [{ id, sender, sentAt }] }`', PendingRequestsResponse)
  async pending(@CurrentUser() auth: AuthUser): Promise<PendingRequestsResponse> {
    return { requests: await this.friends.incoming(auth.userId) };
  }

  @Get('sent')
  @ApiOperation({ summary: 'Your outgoing pending requests, newest first' })
  @ApiOk(200, '`{ requests: [{ id, recipient, sentAt }] }`', SentRequestsResponse)
  async sent(@CurrentUser() auth: AuthUser): Promise<SentRequestsResponse> {
    return { requests: await this.friends.outgoing(auth.userId) };
  }

  @Post('accept')
  @HttpCode(200)
  @ApiOperation({ summary: 'Accept a request sent to you' })
  @ApiJsonBody(FriendRequestIdDto)
  @ApiOk(200, '`{ contact }`', ContactResponse)
  @ApiErrors([404, ErrorCode.REQUEST_NOT_FOUND])
  async accept(
    @CurrentUser() auth: AuthUser,
    @Body() body: FriendRequestIdDto,
  ): Promise<ContactResponse> {
    return { contact: await this.friends.accept(auth.userId, body.requestId) };
  }

  @Post('reject')
  @HttpCode(200)
  @ApiOperation({ summary: 'Reject a request sent to you' })
  @ApiJsonBody(FriendRequestIdDto)
  @ApiOk(200, 'Rejected: `{}`', EMPTY_OBJECT)
  @ApiErrors([404, ErrorCode.REQUEST_NOT_FOUND])
  async reject(
    @CurrentUser() auth: AuthUser,
    @Body() body: FriendRequestIdDto,
  ): Promise<Record<string, never>> {
    await this.friends.reject(auth.userId, body.requestId);
    return {};
  }

  @Post('cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Withdraw a request you sent' })
  @ApiJsonBody(FriendRequestIdDto)
  @ApiOk(200, 'Cancelled: `{}`', EMPTY_OBJECT)
  @ApiErrors([404, ErrorCode.REQUEST_NOT_FOUND])
  async cancel(
    @CurrentUser() auth: AuthUser,
    @Body() body: FriendRequestIdDto,
  ): Promise<Record<string, never>> {
    await this.friends.cancel(auth.userId, body.requestId);
    return {};
  }
}
