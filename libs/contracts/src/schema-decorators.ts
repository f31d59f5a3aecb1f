import { Type } from 'class-transformer';
import { Allow, IsArray, IsDateString, ValidateNested } from 'class-validator';
import { JSONSchema } from 'class-validator-jsonschema';

/*
 * Decorators for the response classes. The classes are never validated at run time: their
 * class-validator metadata is what the API turns into the JSON schemas of the OpenAPI
 * document (class-validator-jsonschema), so a response type is declared once, here.
 */

type ClassRef = () => new () => object;
type FieldDecorator = (target: object, key: string) => void;

const compose =
  (...decorators: FieldDecorator[]): FieldDecorator =>
  (target, key) => {
    for (const decorator of decorators) decorator(target, key);
  };

/** An ISO 8601 timestamp as `Date.prototype.toISOString` writes it. */
export const Timestamp = () => compose(IsDateString(), JSONSchema({ format: 'date-time' }));

/** An ISO 8601 timestamp or null (always present). */
export const NullableTimestamp = () =>
  compose(IsDateString(), JSONSchema({ format: 'date-time', nullable: true }));

/** One nested object of the given class. */
export const Nested = (type: ClassRef) =>
  compose(
    ValidateNested(),
    Type(() => type()),
  );

/** An array of objects of the given class. */
export const NestedArray = (type: ClassRef) =>
  compose(
    IsArray(),
    ValidateNested({ each: true }),
    Type(() => type()),
  );

/** A nested object of the given class, or null (always present). OpenAPI 3.0 ignores siblings of `$ref`, hence `allOf`. */
export const NullableNested = (type: ClassRef) =>
  compose(
    Allow(),
    JSONSchema((_schema, options) => ({
      nullable: true,
      allOf: [{ $ref: `${options.refPointerPrefix}${type().name}` }],
    })),
  );
