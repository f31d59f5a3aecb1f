import { Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ContactIdParam,
  ContactResponse,
  ContactSettingsDto,
  ContactsResponse,
  ErrorCode,
  RemoveContactDto,
} from '@natter/contracts';
import { AuthUser, CurrentUser } from '../../../common/auth-user';
import { ApiErrors, ApiJsonBody, ApiOk, EMPTY_OBJECT } from '../../../common/swagger';
import { ContactBook } from './contact-book.service';
import { ContactSettingsService } from './contact-settings.service';

/** In the social module: listing contacts reads conversations, removing one deletes it. */
@ApiTags('contacts')
@ApiBearerAuth()
@Controller('contacts')
export class ContactsController {
  constructor(
    private readonly contactBook: ContactBook,
    private readonly settings: ContactSettingsService,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Your contacts with presence, unread count and last message, latest activity first',
  })
  @ApiOk(
    200,
    '`{ contacts: [{ id, username, online, lastSeen, unreadCount, lastMessage, since, muted }] }`',
    ContactsResponse,
  )
  async list(@CurrentUser() auth: AuthUser): Promise<ContactsResponse> {
    return { contacts: await this.contactBook.listContacts(auth.userId) };
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
    await this.contactBook.removeContact(auth.userId, body.contactId);
    return {};
  }

  @Put(':contactId/settings')
  @ApiOperation({
    summary:
      'Your own settings for a contact (mute: no notifications or sound, badges still count); all your tabs get `contact_settings_updated`',
  })
  @ApiJsonBody(ContactSettingsDto)
  @ApiOk(200, '`{ contact }` with the new settings', ContactResponse)
  @ApiErrors([404, ErrorCode.CONTACT_NOT_FOUND])
  async updateSettings(
    @CurrentUser() auth: AuthUser,
    @Param() params: ContactIdParam,
    @Body() body: ContactSettingsDto,
  ): Promise<ContactResponse> {
    return { contact: await this.settings.setMuted(auth.userId, params.contactId, body.muted) };
  }
}
