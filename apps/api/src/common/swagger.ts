import { applyDecorators, Type } from '@nestjs/common';
import { ApiBody, ApiResponse } from '@nestjs/swagger';

/** Documents a JSON body by the contract DTO's JSON schema (generated from class-validator). */
export const ApiJsonBody = (dto: Type<unknown>) =>
  ApiBody({ schema: { $ref: `#/components/schemas/${dto.name}` } });

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input (unknown fields, wrong types, malformed ids)',
  401: 'Missing, invalid or expired credentials',
  403: 'Not allowed',
  404: 'Not found (or not yours)',
  409: 'Conflict',
  413: 'Payload too large',
  415: 'Unsupported media type',
  429: 'Rate limited; see Retry-After',
};

/** Documents error responses, all shaped as the contract's ApiError. */
export const ApiErrors = (...statuses: number[]) =>
  applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: ERROR_DESCRIPTIONS[status] ?? 'Error',
        schema: { $ref: '#/components/schemas/ApiError' },
      }),
    ),
  );

/** A success response documented by a plain JSON schema. */
export const ApiOk = (status: number, description: string, schema?: Record<string, unknown>) =>
  ApiResponse({ status, description, ...(schema ? { schema } : {}) });
