import {
  Body,
  Controller,
  Get,
  HttpStatus,
  Param,
  Post,
  Req,
  Res,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import {
  ErrorCode,
  IdParam,
  IMAGE_CAPTION_MAX_LENGTH,
  IMAGE_MAX_BYTES,
  IMAGE_UPLOAD_FIELD,
  MessageResponse,
  UploadImageDto,
} from '@natter/contracts';
import type { Request, Response } from 'express';
import { pipeline } from 'node:stream/promises';
import { ApiException } from '../../common/api-exception';
import { AuthUser, CurrentUser } from '../../common/auth-user';
import { ApiErrors, ApiOk, BINARY } from '../../common/swagger';
import { RateBucket } from '../../common/throttling';
import { ImageUploadInterceptor } from './image-upload.interceptor';
import { MediaDownload, MediaService, MediaVariant } from './media.service';

/**
 * Served images are untrusted content on our origin: the browser must not sniff them into
 * HTML, run anything in them, or let other sites embed them.
 */
export const MEDIA_RESPONSE_HEADERS: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy':
    "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox",
  'Content-Disposition': 'inline',
  'Cross-Origin-Resource-Policy': 'same-origin',
  // Short and private: access ends when the contact does, so shared caches must never keep these.
  'Cache-Control': 'private, max-age=300',
  Vary: 'Authorization',
};

/** True when an If-None-Match header names this ETag (weak comparison, as RFC 9110 asks). */
export function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((candidate) => candidate.trim().replace(/^W\//, '') === etag);
}

@ApiTags('media')
@ApiBearerAuth()
@Controller()
export class MediaController {
  constructor(private readonly media: MediaService) {}

  @Post('messages/image')
  @RateBucket('upload')
  @UseInterceptors(ImageUploadInterceptor)
  @ApiOperation({
    summary: 'Send an image to a contact',
    description: `Multipart: \`${IMAGE_UPLOAD_FIELD}\` (PNG, JPEG, GIF or WebP, at most ${IMAGE_MAX_BYTES} bytes, judged by its content), \`recipientId\`, optional \`clientId\` (idempotency), optional \`text\` (a caption of at most ${IMAGE_CAPTION_MAX_LENGTH} characters, trimmed), optional \`replyToId\` (the message this one answers, in the same conversation). The image is re-encoded without metadata and delivered as a message of type image.`,
  })
  @ApiConsumes('multipart/form-data')
  // The file field; the other fields come from UploadImageDto (see common/openapi-document.ts).
  @ApiBody({
    schema: {
      type: 'object',
      required: [IMAGE_UPLOAD_FIELD],
      properties: { [IMAGE_UPLOAD_FIELD]: { type: 'string', format: 'binary' } },
    },
  })
  @ApiOk(201, '`{ message }`', MessageResponse)
  @ApiErrors(
    [400, ErrorCode.VALIDATION_FAILED],
    [403, ErrorCode.BLOCKED],
    [404, ErrorCode.NOT_A_CONTACT, ErrorCode.REPLY_TARGET_NOT_FOUND],
    [413, ErrorCode.IMAGE_TOO_LARGE],
    [415, ErrorCode.UNSUPPORTED_IMAGE],
    [503, ErrorCode.SERVICE_UNAVAILABLE],
  )
  async upload(
    @CurrentUser() auth: AuthUser,
    @Body() body: UploadImageDto,
    @UploadedFile() file: Express.Multer.File | undefined,
    @Req() request: Request,
  ): Promise<MessageResponse> {
    if (!file?.buffer || file.size === 0) {
      throw new ApiException(
        HttpStatus.BAD_REQUEST,
        ErrorCode.VALIDATION_FAILED,
        `The "${IMAGE_UPLOAD_FIELD}" file is required`,
      );
    }
    const message = await this.media.upload(
      { userId: auth.userId, ip: request.ip },
      {
        recipientId: body.recipientId,
        clientId: body.clientId,
        text: body.text,
        replyToId: body.replyToId,
        data: file.buffer,
      },
    );
    return { message };
  }

  @Get('media/:id')
  @ApiOperation({
    summary: 'An image, for the two people in its conversation while they are contacts',
  })
  @ApiProduces('image/png', 'image/jpeg', 'image/gif', 'image/webp')
  @ApiOk(200, 'The image bytes', BINARY)
  @ApiOk(304, 'Not modified (If-None-Match)')
  @ApiErrors([404, ErrorCode.MEDIA_NOT_FOUND])
  async image(
    @CurrentUser() auth: AuthUser,
    @Param() params: IdParam,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    await this.serve(auth, params.id, 'image', request, response);
  }

  @Get('media/:id/thumbnail')
  @ApiOperation({ summary: 'The WebP thumbnail of an image, on the same terms' })
  @ApiProduces('image/webp')
  @ApiOk(200, 'The thumbnail bytes', BINARY)
  @ApiOk(304, 'Not modified (If-None-Match)')
  @ApiErrors([404, ErrorCode.MEDIA_NOT_FOUND])
  async thumbnail(
    @CurrentUser() auth: AuthUser,
    @Param() params: IdParam,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    await this.serve(auth, params.id, 'thumbnail', request, response);
  }

  private async serve(
    auth: AuthUser,
    id: string,
    variant: MediaVariant,
    request: Request,
    response: Response,
  ): Promise<void> {
    const download: MediaDownload = await this.media.download(auth.userId, id, variant);
    response.set(MEDIA_RESPONSE_HEADERS);
    response.setHeader('ETag', download.etag);
    if (matchesEtag(request.headers['if-none-match'], download.etag)) {
      response.status(304).end();
      return;
    }
    response.status(200);
    response.setHeader('Content-Type', download.contentType);
    response.setHeader('Content-Length', String(download.size));
    try {
      await pipeline(download.open(), response);
    } catch {
      if (response.headersSent) {
        response.destroy();
        return;
      }
      // The document exists but its bytes do not (e.g. deleted concurrently): answer as for any missing media.
      for (const header of ['Content-Type', 'Content-Length', 'ETag', 'Content-Disposition'])
        response.removeHeader(header);
      throw new ApiException(HttpStatus.NOT_FOUND, ErrorCode.MEDIA_NOT_FOUND, 'Media not found');
    }
  }
}
