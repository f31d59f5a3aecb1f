import { applyDecorators, Type } from '@nestjs/common';
import { ApiBody, ApiResponse } from '@nestjs/swagger';
import type { ReferenceObject, SchemaObject } from '@nestjs/swagger';
import type { ErrorCode } from '@natter/contracts';

/*
 * Swagger decorators for the controllers. Parameters, query strings and JSON bodies need
 * none: openapi-document.ts derives them from the handlers' DTO classes. What a handler
 * returns cannot be read from its signature, so success responses name their contract class
 * here, and error responses name their codes.
 */

export const schemaRef = (name: string): ReferenceObject => ({
  $ref: `#/components/schemas/${name}`,
});

/** Documents a JSON body by the contract DTO's JSON schema (also derived without it). */
export const ApiJsonBody = (dto: Type<unknown>) => ApiBody({ schema: schemaRef(dto.name) });

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input (unknown fields, wrong types, malformed ids)',
  401: 'Missing, invalid or expired credentials',
  403: 'Not allowed',
  404: 'Not found (or not yours)',
  409: 'Conflict',
  410: 'Gone',
  413: 'Payload too large',
  415: 'Unsupported media type',
  429: 'Rate limited; see Retry-After',
  503: 'Temporarily unavailable (a dependency is unreachable); see Retry-After',
};

/** The error body, restricted to `codes` when they are known. */
export function errorSchema(codes: readonly string[] | undefined): SchemaObject | ReferenceObject {
  if (!codes?.length) return schemaRef('ApiError');
  return {
    allOf: [
      schemaRef('ApiError'),
      { type: 'object', properties: { code: { type: 'string', enum: [...new Set(codes)] } } },
    ],
  };
}

export const errorDescription = (status: number, codes: readonly string[] | undefined) =>
  `${ERROR_DESCRIPTIONS[status] ?? 'Error'}${codes?.length ? `: ${[...new Set(codes)].map((code) => `\`${code}\``).join(', ')}` : ''}`;

/**
 * Error responses, all shaped as the contract's ApiError: a status, or `[status, ...codes]`
 * for the codes this operation answers with (specs of one status are merged). The codes every
 * operation of a kind can give (401 without a token, 429, bad JSON, 415, 413, validation) are
 * added by openapi-document.ts.
 */
export const ApiErrors = (...specs: (number | readonly [number, ...ErrorCode[]])[]) => {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const spec of specs) {
    const [status, ...codes] = typeof spec === 'number' ? [spec] : spec;
    byStatus.set(status, [...(byStatus.get(status) ?? []), ...codes]);
  }
  return applyDecorators(
    ...[...byStatus].map(([status, codes]) =>
      ApiResponse({
        status,
        description: errorDescription(status, codes),
        schema: errorSchema(codes),
      }),
    ),
  );
};

/**
 * A success response: its body is the contract class (e.g. `HistoryResponse`) or, where
 * the contract has no class (binary, `{}`), a plain schema; none for 204/304.
 */
export const ApiOk = (status: number, description: string, body?: Type<unknown> | SchemaObject) =>
  ApiResponse({
    status,
    description,
    ...(body === undefined
      ? {}
      : { schema: typeof body === 'function' ? schemaRef(body.name) : body }),
  });

/** File bodies (images). */
export const BINARY: SchemaObject = { type: 'string', format: 'binary' };

/** The `{}` some actions answer with. */
export const EMPTY_OBJECT: SchemaObject = { type: 'object', additionalProperties: false };
