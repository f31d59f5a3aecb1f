import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ContactIdParam,
  ErrorCode,
  HistoryQuery,
  HistoryResponse,
  MarkReadDto,
} from '@natter/contracts';
import { AuthUser, CurrentUser } from '../../common/auth-user';
import { ApiErrors, ApiJsonBody, ApiOk } from '../../common/swagger';
import { MessagesService } from './messages.service';

@ApiTags('messages')
@ApiBearerAuth()
@Controller('conversations')
export class MessagesController {
  constructor(private readonly messages: MessagesService) {}

  @Get(':contactId/messages')
  @ApiOperation({
    summary: 'A page of the conversation with a contact, oldest first',
    description:
      '`before=<seq>` pages back through older messages; `after=<seq>` returns what came after (catch-up after a reconnect). `limit` 1–100, default 50.',
  })
  @ApiOk(200, '`{ messages, hasMore, peerLastReadSeq, cursor }`', HistoryResponse)
  @ApiErrors([404, ErrorCode.NOT_A_CONTACT])
  history(
    @CurrentUser() auth: AuthUser,
    @Param() params: ContactIdParam,
    @Query() query: HistoryQuery,
  ): Promise<HistoryResponse> {
    return this.messages.history(auth.userId, params.contactId, query);
  }

  @Post(':contactId/read')
  @HttpCode(204)
  @ApiOperation({
    summary:
      'Mark the conversation read up to `seq` (never lowers it); the contact gets a read receipt',
  })
  @ApiJsonBody(MarkReadDto)
  @ApiOk(204, 'Marked read')
  @ApiErrors([404, ErrorCode.NOT_A_CONTACT])
  async markRead(
    @CurrentUser() auth: AuthUser,
    @Param() params: ContactIdParam,
    @Body() body: MarkReadDto,
  ): Promise<void> {
    await this.messages.markRead(auth.userId, params.contactId, body.seq);
  }
}
