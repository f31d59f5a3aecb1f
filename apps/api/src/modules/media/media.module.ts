import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { MessagesModule } from '../messages/messages.module';
import { GridFsMediaStorage } from './gridfs-media-storage';
import { ImageUploadInterceptor } from './image-upload.interceptor';
import { MediaController } from './media.controller';
import { MediaRepository } from './media.repository';
import { Media, MediaSchema } from './media.schema';
import { MediaService } from './media.service';
import { MEDIA_STORAGE } from './media-storage';

/** Image messages: upload checks and re-encoding, GridFS storage, access-checked serving, clean-up. */
@Module({
  imports: [MessagesModule, MongooseModule.forFeature([{ name: Media.name, schema: MediaSchema }])],
  controllers: [MediaController],
  providers: [
    MediaRepository,
    MediaService,
    ImageUploadInterceptor,
    { provide: MEDIA_STORAGE, useClass: GridFsMediaStorage },
  ],
})
export class MediaModule {}
