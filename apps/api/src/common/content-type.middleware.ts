import { Injectable, NestMiddleware } from '@nestjs/common';
import { ErrorCode } from '@natter/contracts';
import type { NextFunction, Request, Response } from 'express';
import { ApiException } from './api-exception';

/**
 * Requests that carry a body must say it is JSON (or multipart, for uploads). Anything else is
 * refused with 415 instead of being silently ignored and reported as a confusing validation error.
 */
@Injectable()
export class ContentTypeMiddleware implements NestMiddleware {
  use(request: Request, _response: Response, next: NextFunction): void {
    const hasBody =
      Number(request.headers['content-length'] ?? 0) > 0 ||
      request.headers['transfer-encoding'] !== undefined;
    if (!hasBody || request.method === 'GET' || request.method === 'HEAD') return next();
    const type = (request.headers['content-type'] ?? '').toLowerCase();
    if (type.startsWith('application/json') || type.startsWith('multipart/form-data'))
      return next();
    next(
      new ApiException(
        415,
        ErrorCode.UNSUPPORTED_MEDIA_TYPE,
        'Content-Type must be application/json',
      ),
    );
  }
}
