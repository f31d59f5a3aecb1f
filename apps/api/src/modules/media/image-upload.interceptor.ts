import {
  CallHandler,
  ExecutionContext,
  HttpStatus,
  Injectable,
  NestInterceptor,
} from '@nestjs/common';
import {
  ErrorCode,
  IMAGE_CAPTION_MAX_LENGTH,
  IMAGE_MAX_BYTES,
  IMAGE_UPLOAD_FIELD,
} from '@natter/contracts';
import type { Request, Response } from 'express';
import multer, { MulterError } from 'multer';
import type { Observable } from 'rxjs';
import { ApiException } from '../../common/api-exception';
import type { AuthUser } from '../../common/auth-user';
import { MediaService } from './media.service';

/** A caption of IMAGE_CAPTION_MAX_LENGTH UTF-16 units is at most three UTF-8 bytes per unit. */
const CAPTION_MAX_BYTES = IMAGE_CAPTION_MAX_LENGTH * 3 + 256;

/** Room for the multipart boundaries, part headers and the small text fields. */
export const MULTIPART_OVERHEAD_BYTES = 16 * 1024;

/**
 * Parses `POST /api/messages/image` with hard limits while the body streams in: one file of at
 * most IMAGE_MAX_BYTES, three short text fields (recipientId, clientId, the caption), nothing else. Multer stops collecting the file at
 * the limit (the rest is read and discarded, never buffered), and a declared Content-Length
 * that cannot fit is refused before a single body byte is read. Runs after the auth and rate
 * limit guards, so anonymous or throttled callers never get their bodies parsed.
 */
@Injectable()
export class ImageUploadInterceptor implements NestInterceptor {
  private readonly parse = multer({
    storage: multer.memoryStorage(),
    limits: {
      fileSize: IMAGE_MAX_BYTES,
      files: 1,
      fields: 3,
      parts: 4,
      fieldNameSize: 32,
      fieldSize: CAPTION_MAX_BYTES,
      headerPairs: 20,
    },
  }).single(IMAGE_UPLOAD_FIELD);

  constructor(private readonly media: MediaService) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const request = context.switchToHttp().getRequest<Request & { user: AuthUser }>();
    const response = context.switchToHttp().getResponse<Response>();
    const rejectedForSize = async () => {
      await this.media.recordRejection({ userId: request.user.userId, ip: request.ip }, 'size');
      return new ApiException(
        HttpStatus.PAYLOAD_TOO_LARGE,
        ErrorCode.IMAGE_TOO_LARGE,
        `Images may be at most ${IMAGE_MAX_BYTES} bytes`,
      );
    };

    const declared = Number(request.headers['content-length']);
    if (Number.isFinite(declared) && declared > IMAGE_MAX_BYTES + MULTIPART_OVERHEAD_BYTES) {
      // The body is left unread, so this connection cannot carry another request.
      response.setHeader('Connection', 'close');
      throw await rejectedForSize();
    }

    try {
      await new Promise<void>((resolve, reject) =>
        this.parse(request, response, (error?: unknown) => (error ? reject(error) : resolve())),
      );
    } catch (error) {
      if (error instanceof MulterError) {
        if (error.code === 'LIMIT_FILE_SIZE') throw await rejectedForSize();
        throw new ApiException(
          HttpStatus.BAD_REQUEST,
          ErrorCode.VALIDATION_FAILED,
          multerMessage(error),
        );
      }
      // busboy: malformed multipart (bad boundary, truncated body, broken part headers).
      throw new ApiException(
        HttpStatus.BAD_REQUEST,
        ErrorCode.VALIDATION_FAILED,
        'Malformed multipart body',
      );
    }
    return next.handle();
  }
}

function multerMessage(error: MulterError): string {
  switch (error.code) {
    case 'LIMIT_UNEXPECTED_FILE':
      return `Only one file, in the "${IMAGE_UPLOAD_FIELD}" field, is accepted`;
    case 'LIMIT_FIELD_COUNT':
    case 'LIMIT_PART_COUNT':
    case 'LIMIT_FILE_COUNT':
      return 'Too many parts: send only image, recipientId, clientId and text';
    default:
      return 'Multipart field too large or malformed';
  }
}
