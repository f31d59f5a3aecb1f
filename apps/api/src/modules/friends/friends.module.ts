import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { BlocksController } from '../blocks/blocks.controller';
import { BlocksModule } from '../blocks/blocks.module';
import { ContactsController } from '../contacts/contacts.controller';
import { ContactsModule } from '../contacts/contacts.module';
import { ConversationsService } from '../messages/conversations.service';
import { MessagesModule } from '../messages/messages.module';
import { UsersController } from '../users/users.controller';
import { UsersModule } from '../users/users.module';
import { ContactSettingsService } from './contact-settings.service';
import { CONVERSATIONS } from './conversations.port';
import {
  FriendRequest,
  FriendRequestDecision,
  FriendRequestDecisionSchema,
  FriendRequestSchema,
} from './friend-request.schema';
import { FriendsController } from './friends.controller';
import { FriendsRepository } from './friends.repository';
import { FriendsService } from './friends.service';
import { SocialService } from './social.service';

/**
 * The social graph's HTTP surface and orchestration: friend requests, the contacts and blocks
 * endpoints and user search. It sits above ContactsModule, BlocksModule and MessagesModule
 * (which itself imports the first two), so there is no import cycle.
 */
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: FriendRequest.name, schema: FriendRequestSchema },
      { name: FriendRequestDecision.name, schema: FriendRequestDecisionSchema },
    ]),
    UsersModule,
    ContactsModule,
    BlocksModule,
    MessagesModule,
  ],
  controllers: [FriendsController, ContactsController, BlocksController, UsersController],
  providers: [
    FriendsRepository,
    FriendsService,
    SocialService,
    ContactSettingsService,
    { provide: CONVERSATIONS, useExisting: ConversationsService },
  ],
  exports: [SocialService],
})
export class FriendsModule {}
