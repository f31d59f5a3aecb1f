import { Logger, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AppConfig } from '../../config/app-config';
import { BlocksModule } from '../blocks/blocks.module';
import { ContactsModule } from '../contacts/contacts.module';
import { ContactConversations } from './contact-conversations';
import {
  Conversation,
  ConversationSchema,
  ReadState,
  ReadStateSchema,
} from './conversation.schema';
import { ConversationsRepository } from './conversations.repository';
import { ConversationsService } from './conversations.service';
import {
  MESSAGE_ACTION_CONTROLLERS,
  MESSAGE_ACTION_MODELS,
  MESSAGE_ACTION_PROVIDERS,
} from './actions';
import { Message, MessageSchema } from './message.schema';
import { MessagesController } from './messages.controller';
import { MessagesGateway } from './messages.gateway';
import { MessagesRepository } from './messages.repository';
import { MessagesService } from './messages.service';
import { MessagingAccess } from './messaging-access';
import { SummaryWriter } from './summary-writer';

/** Conversations, messages, read state and typing; the heart of the product. */
@Module({
  imports: [
    ContactsModule,
    BlocksModule,
    MongooseModule.forFeature([
      { name: Conversation.name, schema: ConversationSchema },
      { name: ReadState.name, schema: ReadStateSchema },
      { name: Message.name, schema: MessageSchema },
      ...MESSAGE_ACTION_MODELS,
    ]),
  ],
  controllers: [MessagesController, ...MESSAGE_ACTION_CONTROLLERS],
  providers: [
    ConversationsRepository,
    MessagesRepository,
    ConversationsService,
    ContactConversations,
    MessagesService,
    MessagingAccess,
    MessagesGateway,
    {
      provide: SummaryWriter,
      inject: [ConversationsRepository, AppConfig],
      useFactory: (conversations: ConversationsRepository, config: AppConfig) => {
        const logger = new Logger(SummaryWriter.name);
        return new SummaryWriter(conversations, {
          intervalMs: config.env.SUMMARY_INTERVAL_MS,
          onError: (error: Error & { code?: number }) =>
            logger.warn(`Summary round failed: ${error.name} ${error.code ?? ''}`),
        });
      },
    },
    ...MESSAGE_ACTION_PROVIDERS,
  ],
  exports: [ConversationsService, MessagesService, MessagingAccess],
})
export class MessagesModule {}
