import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { BlocksModule } from '../blocks/blocks.module';
import { ContactsModule } from '../contacts/contacts.module';
import { MessagesModule } from '../messages/messages.module';
import { UsersModule } from '../users/users.module';
import { SocialAccountCleanup } from './account-cleanup';
import { BlocksController } from './blocks/blocks.controller';
import { Blocking } from './blocks/blocking.service';
import { ContactBook } from './contacts/contact-book.service';
import { ContactSettingsService } from './contacts/contact-settings.service';
import { ContactsController } from './contacts/contacts.controller';
import { PresenceFanout } from './presence-fanout';
import { RelationshipChanges } from './relationship-changes';
import {
  FriendRequest,
  FriendRequestDecision,
  FriendRequestDecisionSchema,
  FriendRequestSchema,
} from './requests/friend-request.schema';
import { FriendsController } from './requests/friends.controller';
import { FriendsRepository } from './requests/friends.repository';
import { FriendsService } from './requests/friends.service';
import { UserSearch } from './search/user-search.service';
import { UsersController } from './search/users.controller';

/**
 * The social graph's rules and HTTP surface: friend requests (`requests/`), the contacts list
 * and its settings (`contacts/`), blocks (`blocks/`) and user search (`search/`), plus the
 * presence fan-out to contacts and an account's clean-up. The records live in the modules
 * below it (users, contacts, blocks), which messaging reads too; this module is the only one
 * that changes contacts and blocks, and tells messaging through domain events
 * (RelationshipChanges), so it sits above MessagesModule with no import cycle.
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
    RelationshipChanges,
    ContactBook,
    ContactSettingsService,
    Blocking,
    UserSearch,
    PresenceFanout,
    SocialAccountCleanup,
  ],
})
export class SocialModule {}
