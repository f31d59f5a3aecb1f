import { Global, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { ChangeFeedRepository } from './change-feed.repository';
import { ChangeFeed } from './change-feed.service';
import { Change, ChangeSchema } from './change.schema';

/** Global: any module may publish or subscribe to cross-process changes. */
@Global()
@Module({
  imports: [MongooseModule.forFeature([{ name: Change.name, schema: ChangeSchema }])],
  providers: [ChangeFeedRepository, ChangeFeed],
  exports: [ChangeFeed],
})
export class ChangeFeedModule {}
