import { HttpException } from '@nestjs/common';
import type { ErrorCode } from '@natter/contracts';

/** An HTTP error carrying one of the contract's stable error codes. */
export class ApiException extends HttpException {
  constructor(status: number, code: ErrorCode, message: string) {
    super({ statusCode: status, message, code }, status);
  }
}
