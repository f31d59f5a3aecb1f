import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ChangesQuery,
  ChangesResponse,
  ContactIdParam,
  DeleteMessageQuery,
  EditMessageDto,
  ErrorCode,
  IdParam,
  MessageResponse,
  ReactionDto,
} from '@natter/contracts';
import { AuthUser, CurrentUser } from '../../../common/auth-user';
import { ApiErrors, ApiJsonBody, ApiOk } from '../../../common/swagger';
import { MessageActionsService } from './message-actions.service';
import { MessageChangesService } from './message-changes.service';

/** Who may act: the two participants while contacts (404 NOT_A_CONTACT after), never across a block. */
const MESSAGE_ACCESS_ERRORS = [
  [403, ErrorCode.BLOCKED],
  [404, ErrorCode.MESSAGE_NOT_FOUND, ErrorCode.NOT_A_CONTACT],
] as const;

/** Thin REST face of message actions; the socket events call the same service. */
@ApiTags('messages')
@ApiBearerAuth()
@Controller()
export class MessageActionsController {
  constructor(
    private readonly actions: MessageActionsService,
    private readonly changesService: MessageChangesService,
  ) {}

  @Patch('messages/:id')
  @ApiOperation({
    summary: 'Edit the text of your own text message (within MESSAGE_EDIT_WINDOW_SECONDS)',
    description:
      'Both sides get `message_updated`. Sending the current text again changes nothing. 404 MESSAGE_NOT_FOUND unless you sent it.',
  })
  @ApiJsonBody(EditMessageDto)
  @ApiOk(200, 'The edited message', MessageResponse)
  @ApiErrors(
    [400, ErrorCode.NOT_A_TEXT_MESSAGE],
    [403, ErrorCode.EDIT_WINDOW_PASSED],
    ...MESSAGE_ACCESS_ERRORS,
    [409, ErrorCode.MESSAGE_DELETED],
  )
  async edit(
    @CurrentUser() auth: AuthUser,
    @Param() params: IdParam,
    @Body() body: EditMessageDto,
  ): Promise<MessageResponse> {
    return { message: await this.actions.edit(auth.userId, params.id, body.text) };
  }

  @Delete('messages/:id')
  @HttpCode(204)
  @ApiOperation({
    summary:
      'Delete a message for everyone (your own, within MESSAGE_DELETE_WINDOW_SECONDS) or for you',
    description:
      '`for=everyone`: text removed, image files deleted, a tombstone keeps seq and type; both sides get `message_updated`. `for=me`: hidden on all your devices (`message_hidden`). Both are idempotent.',
  })
  @ApiOk(204, 'Deleted')
  @ApiErrors([403, ErrorCode.DELETE_WINDOW_PASSED], ...MESSAGE_ACCESS_ERRORS)
  async remove(
    @CurrentUser() auth: AuthUser,
    @Param() params: IdParam,
    @Query() query: DeleteMessageQuery,
  ): Promise<void> {
    await this.actions.delete(auth.userId, params.id, query.for);
  }

  @Put('messages/:id/reaction')
  @ApiOperation({
    summary: 'Set (or replace) your reaction: one emoji, a single grapheme of Unicode emoji',
  })
  @ApiJsonBody(ReactionDto)
  @ApiOk(200, 'The message with its reactions', MessageResponse)
  @ApiErrors(...MESSAGE_ACCESS_ERRORS, [409, ErrorCode.MESSAGE_DELETED])
  async react(
    @CurrentUser() auth: AuthUser,
    @Param() params: IdParam,
    @Body() body: ReactionDto,
  ): Promise<MessageResponse> {
    return { message: await this.actions.react(auth.userId, params.id, body.emoji) };
  }

  @Delete('messages/:id/reaction')
  @ApiOperation({ summary: 'Remove your reaction (none, or a deleted message: unchanged)' })
  @ApiOk(200, 'The message with its reactions', MessageResponse)
  @ApiErrors(...MESSAGE_ACCESS_ERRORS)
  async unreact(@CurrentUser() auth: AuthUser, @Param() params: IdParam): Promise<MessageResponse> {
    return { message: await this.actions.react(auth.userId, params.id, null) };
  }

  @Get('conversations/:contactId/changes')
  @ApiOperation({
    summary: 'What changed in a conversation since a cursor (from a history or changes response)',
    description:
      '`{ messages, hiddenIds, cursor, hasMore }`: the current state of every message created, edited, deleted or reacted to since the cursor, and the ids you hid since. Ask again with the new cursor while `hasMore`. 410 CURSOR_EXPIRED: reload the history.',
  })
  @ApiOk(200, '`{ messages, hiddenIds, cursor, hasMore }`', ChangesResponse)
  @ApiErrors([404, ErrorCode.NOT_A_CONTACT], [410, ErrorCode.CURSOR_EXPIRED])
  changes(
    @CurrentUser() auth: AuthUser,
    @Param() params: ContactIdParam,
    @Query() query: ChangesQuery,
  ): Promise<ChangesResponse> {
    return this.changesService.changes(auth.userId, params.contactId, query.since);
  }
}
