import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import { ApiError, ErrorCode } from '@natter/contracts';
import { STATUS_CODES } from 'node:http';
import type { Response } from 'express';
import { isDuplicateKey } from '../modules/database/persistence';

interface ClassifiedError {
  status: number;
  message: string | string[];
  code?: ErrorCode;
  /** Structured detail some errors carry (the readiness check's per-dependency status). */
  details?: unknown;
}

const DEFAULT_CODES: Partial<Record<number, ErrorCode>> = {
  400: ErrorCode.VALIDATION_FAILED,
  401: ErrorCode.UNAUTHORIZED,
  403: ErrorCode.FORBIDDEN,
  404: ErrorCode.NOT_FOUND,
  413: ErrorCode.PAYLOAD_TOO_LARGE,
  415: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
  429: ErrorCode.RATE_LIMITED,
  503: ErrorCode.SERVICE_UNAVAILABLE,
};

/**
 * Turns every error into SPEC §4's `{ statusCode, error, message, code }`. Errors raised by
 * the HTTP stack for bad input (unparsable JSON, oversized bodies, bad ids, multipart limits)
 * become 4xx; anything unexpected becomes a bare 500 whose details go only to the log.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Exceptions');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const response = host.switchToHttp().getResponse<Response>();
    const { status, message, code, details } = classify(exception);
    if (status === 503) {
      // A dependency is down (readiness, a database outage): expected, retryable, no stack.
      this.logger.warn(`Service unavailable: ${describe(exception)}`);
    } else if (status >= 500) {
      this.logger.error(
        exception instanceof Error ? (exception.stack ?? exception.message) : String(exception),
      );
    }
    if (response.headersSent) return;
    if (status === 503) response.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    const body: ApiError = {
      statusCode: status,
      error: STATUS_CODES[status] ?? 'Error',
      message,
      code: code ?? DEFAULT_CODES[status] ?? (status >= 500 ? ErrorCode.INTERNAL : undefined),
      ...(details === undefined ? {} : { details }),
    };
    response.status(status).json(body);
  }
}

export function classify(exception: unknown): ClassifiedError {
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const payload = exception.getResponse();
    if (typeof payload === 'string') return { status, message: payload };
    const { message, code, details } = payload as {
      message?: string | string[];
      code?: ErrorCode;
      details?: unknown;
    };
    return { status, message: message ?? exception.message, code, details };
  }
  const error = exception as {
    type?: string;
    status?: number;
    code?: string | number;
    name?: string;
    message?: string;
  };
  // body-parser
  if (error?.type === 'entity.parse.failed') {
    return { status: 400, message: 'Request body is not valid JSON', code: ErrorCode.BAD_JSON };
  }
  if (error?.type === 'entity.too.large') {
    return { status: 413, message: 'Request body is too large', code: ErrorCode.PAYLOAD_TOO_LARGE };
  }
  if (error?.type === 'encoding.unsupported' || error?.type === 'charset.unsupported') {
    return {
      status: 415,
      message: 'Unsupported body encoding',
      code: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
    };
  }
  if (typeof error?.status === 'number' && error.status >= 400 && error.status < 500) {
    return { status: error.status, message: error.message ?? 'Bad request' };
  }
  // multer
  if (error?.name === 'MulterError') {
    if (error.code === 'LIMIT_FILE_SIZE') {
      return { status: 413, message: 'The file is too large', code: ErrorCode.IMAGE_TOO_LARGE };
    }
    return { status: 400, message: error.message ?? 'Bad multipart request' };
  }
  // mongoose / mongodb
  if (error?.name === 'CastError' || error?.name === 'BSONError') {
    return { status: 400, message: 'Malformed identifier' };
  }
  if (error?.name === 'StrictModeError' || error?.name === 'ValidationError') {
    return { status: 400, message: 'Invalid data' };
  }
  // The last line of defence: repositories turn expected duplicates into results.
  if (isDuplicateKey(error)) {
    return { status: 409, message: 'Conflict' };
  }
  if (isDatabaseUnavailable(error)) {
    return {
      status: 503,
      message: 'The service is temporarily unavailable; try again shortly',
      code: ErrorCode.SERVICE_UNAVAILABLE,
    };
  }
  return { status: HttpStatus.INTERNAL_SERVER_ERROR, message: 'Internal server error' };
}

/** What a client should wait before retrying a 503. */
export const RETRY_AFTER_SECONDS = 5;

/**
 * The driver could not reach the database (no server selected, connection lost, commands
 * buffered past their timeout): the request did nothing and may be retried as is.
 */
function isDatabaseUnavailable(error: { name?: string; message?: string } | undefined): boolean {
  const name = error?.name ?? '';
  return (
    /^Mongo(ose)?(ServerSelection|Network|NetworkTimeout|NotConnected|TopologyClosed|PoolCleared|ServerClosed)Error$/.test(
      name,
    ) ||
    (name === 'MongooseError' && /buffering timed out/.test(error?.message ?? ''))
  );
}

/** Names and messages of our own dependency errors hold no request data. */
function describe(exception: unknown): string {
  if (exception instanceof HttpException) {
    const response = exception.getResponse() as { details?: unknown } | string;
    const details = typeof response === 'object' ? response.details : undefined;
    return details ? JSON.stringify(details) : exception.message;
  }
  return exception instanceof Error ? exception.name : String(exception);
}
