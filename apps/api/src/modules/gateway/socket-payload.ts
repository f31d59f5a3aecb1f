import { AckError, ErrorCode } from '@natter/contracts';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { inputShapeProblem } from '../../common/input-shape';

/**
 * Validates a client event payload with the contract DTO class, exactly like the HTTP
 * ValidationPipe (unknown fields refused, no implicit type conversion).
 */
export function parsePayload<T extends object>(
  dto: new () => T,
  payload: unknown,
): { ok: true; value: T } | AckError {
  if (
    typeof payload !== 'object' ||
    payload === null ||
    Array.isArray(payload) ||
    Buffer.isBuffer(payload)
  ) {
    return ackError(ErrorCode.VALIDATION_FAILED, 'payload must be an object');
  }
  // Also checked for every packet by SocketEventGuard; repeated here so that no caller can
  // hand class-transformer (which recurses) a hostile shape.
  const problem = inputShapeProblem(payload);
  if (problem) return ackError(ErrorCode.VALIDATION_FAILED, `payload ${problem}`);
  const value = plainToInstance(dto, payload);
  const errors = validateSync(value, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0) {
    const message = errors.flatMap((error) => Object.values(error.constraints ?? {})).join('; ');
    return ackError(ErrorCode.VALIDATION_FAILED, message || 'invalid payload');
  }
  return { ok: true, value };
}

export function ackError(code: ErrorCode, message: string): AckError {
  return { ok: false, error: { code, message } };
}
