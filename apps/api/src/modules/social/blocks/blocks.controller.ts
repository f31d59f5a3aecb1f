import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  BlockResponse,
  BlocksResponse,
  BlockUserDto,
  ErrorCode,
  UserIdParam,
} from '@natter/contracts';
import { AuthUser, CurrentUser } from '../../../common/auth-user';
import { ApiErrors, ApiJsonBody, ApiOk } from '../../../common/swagger';
import { Blocking } from './blocking.service';

/** In the social module: a block also removes the contact and its conversation. */
@ApiTags('blocks')
@ApiBearerAuth()
@Controller('blocks')
export class BlocksController {
  constructor(private readonly blocking: Blocking) {}

  @Get()
  @ApiOperation({ summary: 'Users you blocked, newest first' })
  @ApiOk(200, '`{ blocks: [{ id, username, blockedAt }] }`', BlocksResponse)
  async list(@CurrentUser() auth: AuthUser): Promise<BlocksResponse> {
    return { blocks: await this.blocking.listBlocks(auth.userId) };
  }

  @Post()
  @ApiOperation({
    summary:
      'Block a user: removes the contact and pending requests both ways, hides presence and search',
  })
  @ApiJsonBody(BlockUserDto)
  @ApiOk(201, '`{ block: { id, username, blockedAt } }`', BlockResponse)
  @ApiErrors([400, ErrorCode.CANNOT_BLOCK_SELF], [404, ErrorCode.USER_NOT_FOUND])
  async block(@CurrentUser() auth: AuthUser, @Body() body: BlockUserDto): Promise<BlockResponse> {
    return { block: await this.blocking.block(auth.userId, body.userId) };
  }

  @Delete(':userId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Unblock a user (the contact is not restored)' })
  @ApiOk(204, 'Unblocked')
  @ApiErrors([404, ErrorCode.BLOCK_NOT_FOUND])
  async unblock(@CurrentUser() auth: AuthUser, @Param() params: UserIdParam): Promise<void> {
    await this.blocking.unblock(auth.userId, params.userId);
  }
}
