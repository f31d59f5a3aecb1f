import { HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';
import { ErrorCode, MessageInfo } from '@natter/contracts';
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { ApiException } from '../../common/api-exception';
import {
  AccountDeletingEvent,
  ConversationDeletedEvent,
  DomainEvent,
  MessageDeletedEvent,
  OnDomainEvent,
} from '../../common/domain-events';
import { AuditService } from '../audit/audit.service';
import { MessagingAccess } from '../messages/messaging-access';
import { MessagesService } from '../messages/messages.service';
import {
  EncodedImage,
  ImageRejectedError,
  ImageRejectionReason,
  processImage,
} from './image-processor';
import { MEDIA_STORAGE, MediaStorage } from './media-storage';
import { MediaRecord, MediaRepository } from './media.repository';

export interface UploadInput {
  recipientId: string;
  clientId?: string;
  /** Optional caption, stored on the image message as its `text`. */
  text?: string;
  replyToId?: string;
  /** The raw bytes as received; nothing about them is trusted yet. */
  data: Buffer;
}

export interface UploadContext {
  userId: string;
  ip?: string | null;
}

export type MediaVariant = 'image' | 'thumbnail';

export interface MediaDownload {
  contentType: string;
  size: number;
  /** Strong ETag (quoted), derived from the stored bytes' sha256. */
  etag: string;
  open(): Readable;
}

const notFound = () =>
  new ApiException(HttpStatus.NOT_FOUND, ErrorCode.MEDIA_NOT_FOUND, 'Media not found');

const REJECTION_STATUS: Record<ImageRejectionReason, HttpStatus> = {
  type: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  corrupt: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  dimensions: HttpStatus.PAYLOAD_TOO_LARGE,
};

/** Image messages: checks, re-encoding, storage, access control and clean-up of media. */
@Injectable()
export class MediaService {
  private readonly logger = new Logger(MediaService.name);

  constructor(
    private readonly repository: MediaRepository,
    @Inject(MEDIA_STORAGE) private readonly storage: MediaStorage,
    private readonly access: MessagingAccess,
    private readonly messages: MessagesService,
    private readonly audit: AuditService,
  ) {}

  /**
   * Authorises first (nothing is stored for a stranger), then re-encodes, stores, and sends the
   * image as a message in the conversation's sequence. Any failure after storing removes what
   * was stored, so no file outlives a refused or failed upload.
   */
  async upload(context: UploadContext, input: UploadInput): Promise<MessageInfo> {
    const { userId } = context;
    // The send's own rules, asked before anything is stored (nothing is kept for a stranger).
    await this.access.writable(userId, input.recipientId);

    let processed: { image: EncodedImage; thumbnail: EncodedImage };
    try {
      processed = await processImage(input.data);
    } catch (error) {
      if (!(error instanceof ImageRejectedError)) throw error;
      await this.recordRejection(context, error.reason, input.data.length);
      const code =
        error.reason === 'dimensions' ? ErrorCode.IMAGE_TOO_LARGE : ErrorCode.UNSUPPORTED_IMAGE;
      throw new ApiException(REJECTION_STATUS[error.reason], code, error.message);
    }

    const media = await this.store(userId, input.recipientId, processed);
    let message: MessageInfo;
    try {
      message = await this.messages.send(userId, {
        recipientId: input.recipientId,
        clientId: input.clientId ?? randomUUID(),
        replyToId: input.replyToId,
        content: {
          type: 'image',
          image: { mediaId: media.id, width: media.width, height: media.height },
          text: input.text,
        },
      });
    } catch (error) {
      await this.remove([media]);
      throw error;
    }
    if (message.image?.id !== media.id) {
      // A resend with a clientId already used: the stored message (and its image) wins.
      await this.remove([media]);
    } else {
      await this.repository.setConversation(media.id, message.conversationId);
    }
    return message;
  }

  /** The bytes of an image or its thumbnail, for one of its two participants while they are contacts. */
  async download(userId: string, mediaId: string, variant: MediaVariant): Promise<MediaDownload> {
    const media = await this.repository.findForParticipant(mediaId, userId);
    if (!media) throw notFound();
    const other = media.participants[0] === userId ? media.participants[1] : media.participants[0];
    const readable = await this.access.readable(userId, other).then(
      () => true,
      (error: unknown) => {
        if (error instanceof ApiException) return false; // not (or no longer) a contact
        throw error;
      },
    );
    if (!readable) throw notFound();
    const file = variant === 'image' ? media : media.thumbnail;
    const fileId = variant === 'image' ? media.fileId : media.thumbnailFileId;
    return {
      contentType: file.contentType,
      size: file.size,
      etag: `"${file.sha256}"`,
      open: () => this.storage.get(fileId),
    };
  }

  /** Called for an upload refused before it reached the service (e.g. over the size limit). */
  async recordRejection(
    context: UploadContext,
    reason: ImageRejectionReason | 'size',
    bytes?: number,
  ): Promise<void> {
    await this.audit.record('upload_rejected', {
      userId: context.userId,
      ip: context.ip ?? null,
      details: bytes === undefined ? { reason } : { reason, bytes },
    });
  }

  @OnDomainEvent(DomainEvent.ConversationDeleted, { promisify: true })
  async onConversationDeleted(event: ConversationDeletedEvent): Promise<void> {
    await this.remove(
      await this.repository.findByConversation(event.conversationId, event.participantIds),
    );
  }

  @OnDomainEvent(DomainEvent.MessageDeleted, { promisify: true })
  async onMessageDeleted(event: MessageDeletedEvent): Promise<void> {
    if (!event.mediaId) return;
    const media = await this.repository.findForParticipant(event.mediaId, event.participantIds[0]);
    if (media) await this.remove([media]);
  }

  @OnDomainEvent(DomainEvent.AccountDeleting, { promisify: true })
  async onAccountDeleting(event: AccountDeletingEvent): Promise<void> {
    // Every conversation of a deleted account goes, so the images in it go too, whoever sent them.
    await this.remove(await this.repository.findByParticipant(event.userId));
  }

  private async store(
    ownerId: string,
    otherId: string,
    processed: { image: EncodedImage; thumbnail: EncodedImage },
  ): Promise<MediaRecord> {
    const { image, thumbnail } = processed;
    const stored: string[] = [];
    try {
      const fileId = await this.storage.put(image.data, {
        filename: 'image',
        contentType: image.contentType,
      });
      stored.push(fileId);
      const thumbnailFileId = await this.storage.put(thumbnail.data, {
        filename: 'thumbnail',
        contentType: thumbnail.contentType,
      });
      stored.push(thumbnailFileId);
      return await this.repository.create({
        ownerId,
        otherId,
        ...fileInfo(image),
        fileId,
        thumbnailFileId,
        thumbnail: fileInfo(thumbnail),
      });
    } catch (error) {
      await Promise.all(stored.map((fileId) => this.deleteFile(fileId)));
      throw error;
    }
  }

  /** Files first and documents last: if this stops midway, the documents still say what is left to delete. */
  private async remove(media: MediaRecord[]): Promise<void> {
    if (media.length === 0) return;
    await Promise.all(
      media.flatMap((item) => [
        this.deleteFile(item.fileId),
        this.deleteFile(item.thumbnailFileId),
      ]),
    );
    await this.repository.deleteByIds(media.map((item) => item.id));
  }

  private async deleteFile(fileId: string): Promise<void> {
    await this.storage.delete(fileId).catch((error: Error) => {
      this.logger.error(`Could not delete media file ${fileId}: ${error.message}`);
    });
  }
}

const fileInfo = (file: EncodedImage) => ({
  contentType: file.contentType,
  size: file.size,
  width: file.width,
  height: file.height,
  sha256: file.sha256,
});
