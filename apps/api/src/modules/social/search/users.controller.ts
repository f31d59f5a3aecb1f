import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { SearchUsersQuery, SearchUsersResponse } from '@natter/contracts';
import { AuthUser, CurrentUser } from '../../../common/auth-user';
import { ApiOk } from '../../../common/swagger';
import { UserSearch } from './user-search.service';

/**
 * In the social module rather than UsersModule: search results carry the relationship
 * (contacts, requests, blocks), and UsersModule sits below those modules.
 */
@ApiTags('users')
@ApiBearerAuth()
@Controller('users')
export class UsersController {
  constructor(private readonly userSearch: UserSearch) {}

  @Get('search')
  @ApiOperation({
    summary: 'Find people by username prefix (case-insensitive, literal), at most 10',
  })
  @ApiQuery({
    name: 'q',
    required: false,
    description: '2–20 characters; shorter gives an empty list',
  })
  @ApiOk(200, '`{ users: [{ id, username, relationship }] }`', SearchUsersResponse)
  async search(
    @CurrentUser() auth: AuthUser,
    @Query() query: SearchUsersQuery,
  ): Promise<SearchUsersResponse> {
    return { users: await this.userSearch.search(auth.userId, query.q) };
  }
}
