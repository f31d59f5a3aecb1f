import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { Block, BlockSchema } from './block.schema';
import { BlocksRepository } from './blocks.repository';
import { BlocksService } from './blocks.service';

/**
 * Block records (no conversations, no HTTP): safe for MessagesModule and media to import.
 * The /api/blocks endpoints live in SocialModule, since a block also removes the contact
 * and its conversation.
 */
@Module({
  imports: [MongooseModule.forFeature([{ name: Block.name, schema: BlockSchema }])],
  providers: [BlocksRepository, BlocksService],
  exports: [BlocksService],
})
export class BlocksModule {}
