import { Allow, IsIn, IsInt, IsOptional, IsString } from 'class-validator';
import { JSONSchema } from 'class-validator-jsonschema';
import { ErrorCode } from './error-codes';

/** The JSON body of every REST error. */
export class ApiError {
  @IsInt()
  statusCode!: number;

  /** The HTTP reason phrase, e.g. "Not Found". */
  @IsString()
  error!: string;

  @Allow()
  @JSONSchema({ oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] })
  message!: string | string[];

  /** Stable and machine-readable; each operation documents the codes it can answer with. */
  @IsOptional()
  @IsIn(Object.values(ErrorCode))
  code?: ErrorCode;

  /** Only on some errors, e.g. the readiness check's status per dependency. */
  @IsOptional()
  @Allow()
  @JSONSchema({ type: 'object' })
  details?: unknown;
}
