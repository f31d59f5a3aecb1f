import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ContactsResponse, ErrorCode, RemoveContactDto } from '@natter/contracts';
import { AuthUser, CurrentUser } from '../../common/auth-user';
import { ApiErrors, ApiJsonBody, ApiOk, EMPTY_OBJECT } from '../../common/swagger';
import { SocialService } from '../friends/social.service';

/** Registered by FriendsModule: listing and removing contacts touches conversations. */
@ApiTags('contacts')
@ApiBearerAuth()
@Controller('contacts')
export class ContactsController {
  constructor(private readonly social: SocialService) {}

  @Get()
  @ApiOperation({
    summary: 'Your contacts with presence, unread count and last message, latest activity first',
  })
  @ApiOk(
    200,
    '`{ contacts: [{ id, username, online, lastSeen, unreadCount, lastMessage, since }] }`',
    ContactsResponse,
  )
  async list(@CurrentUser() auth: AuthUser): Promise<ContactsResponse> {
    return { contacts: await this.social.listContacts(auth.userId) };
  }

  @Post('remove')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Remove a contact: both directions and the conversation history go, the other side is told',
  })
  @ApiJsonBody(RemoveContactDto)
  @ApiOk(200, 'Removed: `{}`', EMPTY_OBJECT)
  @ApiErrors([404, ErrorCode.CONTACT_NOT_FOUND])
  async remove(
    @CurrentUser() auth: AuthUser,
    @Body() body: RemoveContactDto,
  ): Promise<Record<string, never>> {
    await this.social.removeContact(auth.userId, body.contactId);
    return {};
  }
}
