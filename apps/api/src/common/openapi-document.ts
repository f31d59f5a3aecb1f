import { INestApplication, RequestMethod, Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { ModulesContainer } from '@nestjs/core';
import {
  DocumentBuilder,
  OpenAPIObject,
  OperationObject,
  ParameterObject,
  ReferenceObject,
  ResponseObject,
  SchemaObject,
  SwaggerModule,
} from '@nestjs/swagger';
import { ErrorCode } from '@natter/contracts';
import { defaultMetadataStorage } from 'class-transformer/cjs/storage';
import { validationMetadatasToSchemas } from 'class-validator-jsonschema';
import { IS_PUBLIC } from './auth-user';
import { errorDescription, errorSchema, schemaRef } from './swagger';

/*
 * The OpenAPI document of /api/docs-json, made true by construction where the handlers say it:
 * - schemas come from the contract classes' class-validator metadata (class-validator-jsonschema);
 * - path parameters, query parameters and JSON bodies come from each handler's `@Param()`,
 *   `@Query()` and `@Body()` DTO types, and every `{name}` of a path is declared;
 * - error responses every operation of a kind can give (401, 429, 503, 400/413/415) are added from
 *   the guards' metadata and the HTTP stack's rules;
 * - only schemas an operation references are published (no configuration class, no socket DTOs).
 * What a handler returns cannot be read at run time; apps/api/test/openapi.e2e-spec.ts fails on
 * an operation without a success schema, and the e2e suites check every response against it.
 */

type Schemas = Record<string, SchemaObject>;
type RouteArgs = Record<string, { index: number; data?: unknown }>;

interface Handler {
  controller: Type<unknown>;
  method: string;
  handler: object;
  httpMethod: RequestMethod;
}

const BODY_METHODS = new Set([
  RequestMethod.POST,
  RequestMethod.PUT,
  RequestMethod.PATCH,
  RequestMethod.DELETE,
]);
const THROTTLER_SKIP_API = 'THROTTLER:SKIPapi';

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Natter API')
      .setDescription(
        'REST API of Natter. Real-time events use Socket.IO at /socket.io (see the contracts library for the event maps).',
      )
      .setVersion('1.0')
      .addBearerAuth()
      .addCookieAuth(
        'natter_refresh',
        { type: 'apiKey', in: 'cookie', name: 'natter_refresh' },
        'refresh',
      )
      .build(),
  );
  const schemas = validationMetadatasToSchemas({
    classTransformerMetadataStorage: defaultMetadataStorage,
    refPointerPrefix: '#/components/schemas/',
  }) as Schemas;
  // Unknown fields are refused in requests (forbidNonWhitelisted) and never sent in responses.
  for (const schema of Object.values(schemas)) schema.additionalProperties ??= false;
  document.components = {
    ...document.components,
    schemas: { ...document.components?.schemas, ...schemas },
  };
  const operations = operationsById(document);
  for (const handler of handlers(app)) {
    const found = operations.get(`${handler.controller.name}_${handler.method}`);
    if (found) describe(found.operation, found.path, handler, schemas);
  }
  pruneUnreferenced(document);
  return document;
}

function operationsById(document: OpenAPIObject) {
  const byId = new Map<string, { path: string; operation: OperationObject }>();
  for (const [path, item] of Object.entries(document.paths)) {
    for (const operation of Object.values(item) as OperationObject[]) {
      if (operation?.operationId) byId.set(operation.operationId, { path, operation });
    }
  }
  return byId;
}

function* handlers(app: INestApplication): Generator<Handler> {
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type<unknown> | null;
      if (!controller?.prototype) continue;
      for (const method of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = Object.getOwnPropertyDescriptor(controller.prototype, method)?.value;
        if (typeof handler !== 'function' || !Reflect.hasMetadata(PATH_METADATA, handler)) continue;
        const httpMethod = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod;
        yield { controller, method, handler, httpMethod };
      }
    }
  }
}

const metadataOf = (key: string, { handler, controller }: Handler): unknown =>
  Reflect.getMetadata(key, handler) ?? Reflect.getMetadata(key, controller);

function describe(
  operation: OperationObject,
  path: string,
  route: Handler,
  schemas: Schemas,
): void {
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, route.controller, route.method) ??
    {}) as RouteArgs;
  const types = (Reflect.getMetadata(
    'design:paramtypes',
    route.controller.prototype,
    route.method,
  ) ?? []) as unknown[];
  for (const [key, { index, data }] of Object.entries(args)) {
    const kind = Number(key.split(':')[0]);
    const type = types[index] as { name?: string } | undefined;
    const schema = data === undefined && type?.name ? schemas[type.name] : undefined;
    if (!schema) continue;
    if (kind === RouteParamtypes.PARAM) addParameters(operation, 'path', schema);
    else if (kind === RouteParamtypes.QUERY) addParameters(operation, 'query', schema);
    else if (kind === RouteParamtypes.BODY) addBody(operation, type!.name!, schema);
  }
  for (const [, name] of path.matchAll(/\{([^}]+)\}/g)) {
    addParameter(operation, { name, in: 'path', required: true, schema: { type: 'string' } });
  }

  normalizeResponses(operation);
  if (!metadataOf(IS_PUBLIC, route)) {
    operation.security ??= [{ bearer: [] }];
    addError(operation, 401, [ErrorCode.UNAUTHORIZED]);
  }
  if (!metadataOf(THROTTLER_SKIP_API, route)) {
    addError(operation, 429, [ErrorCode.RATE_LIMITED]);
    // Every operation but the probes (which document their own) reaches the database, and an
    // unreachable database answers 503 (all-exceptions.filter.ts).
    addError(operation, 503, [ErrorCode.SERVICE_UNAVAILABLE]);
  }
  if (BODY_METHODS.has(route.httpMethod)) {
    // The JSON parser and the content-type rule run before any handler (app.setup.ts).
    addError(operation, 400, [ErrorCode.BAD_JSON]);
    addError(operation, 413, [ErrorCode.PAYLOAD_TOO_LARGE]);
    addError(operation, 415, [ErrorCode.UNSUPPORTED_MEDIA_TYPE]);
  }
  // Besides the DTOs, the hostile-shape check (app.setup.ts) refuses deep nesting and bracket
  // keys in the query string or body of any request, before any handler.
  addError(operation, 400, [ErrorCode.VALIDATION_FAILED]);
}

/**
 * `@ApiProduces` gives every response the image media types; errors are JSON whatever the
 * operation produces, and responses without a schema (304) have no body.
 */
function normalizeResponses(operation: OperationObject): void {
  for (const [status, response] of Object.entries(operation.responses) as [
    string,
    ResponseObject,
  ][]) {
    const media = Object.values(response.content ?? {});
    if (media.every((entry) => !entry.schema)) delete response.content;
    else if (Number(status) >= 400)
      response.content = { 'application/json': { schema: media.find((e) => e.schema)!.schema } };
  }
}

function addParameter(operation: OperationObject, parameter: ParameterObject): void {
  const parameters = (operation.parameters ??= []) as ParameterObject[];
  const existing = parameters.find((p) => p.name === parameter.name && p.in === parameter.in);
  if (!existing) {
    parameters.push(parameter);
    return;
  }
  const schema = existing.schema as SchemaObject | undefined;
  if (!schema || Object.keys(schema).length === 0) existing.schema = parameter.schema;
  existing.required ||= parameter.required;
}

/** One parameter per property of a `@Param()` or `@Query()` DTO. */
function addParameters(
  operation: OperationObject,
  location: 'path' | 'query',
  schema: SchemaObject,
): void {
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    addParameter(operation, {
      name,
      in: location,
      required: location === 'path' || (schema.required ?? []).includes(name),
      schema: property as SchemaObject,
    });
  }
}

/** A JSON body by its DTO; a multipart body also gets the DTO's fields besides its file. */
function addBody(operation: OperationObject, name: string, schema: SchemaObject): void {
  const content = (operation.requestBody as { content?: Record<string, { schema?: SchemaObject }> })
    ?.content;
  const multipart = content?.['multipart/form-data']?.schema;
  if (multipart) {
    multipart.properties = { ...multipart.properties, ...schema.properties };
    multipart.required = [...new Set([...(multipart.required ?? []), ...(schema.required ?? [])])];
    multipart.additionalProperties = false;
    return;
  }
  operation.requestBody = {
    required: true,
    content: { 'application/json': { schema: schemaRef(name) } },
  };
}

const documentedCodes = (response: ResponseObject): string[] | undefined => {
  const schema = response.content?.['application/json']?.schema as SchemaObject | undefined;
  const restriction = schema?.allOf?.[1] as SchemaObject | undefined;
  const code = restriction?.properties?.code as SchemaObject | undefined;
  return code?.enum as string[] | undefined;
};

function addError(operation: OperationObject, status: number, codes: ErrorCode[]): void {
  const existing = operation.responses[status] as ResponseObject | undefined;
  // A response documented without codes allows any; one with codes gets these too.
  const known = existing ? documentedCodes(existing) : [];
  if (existing && !known) return;
  const all = [...(known ?? []), ...codes];
  operation.responses[status] = {
    description: errorDescription(status, all),
    content: { 'application/json': { schema: errorSchema(all) } },
  };
}

/** Drops schemas no operation reaches (the configuration class, socket-only DTOs). */
function pruneUnreferenced(document: OpenAPIObject): void {
  const schemas = document.components?.schemas ?? {};
  const reached = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    const ref = (node as ReferenceObject).$ref;
    if (typeof ref === 'string' && ref.startsWith('#/components/schemas/')) {
      const name = ref.slice('#/components/schemas/'.length);
      if (!reached.has(name)) {
        reached.add(name);
        visit(schemas[name]);
      }
    }
    Object.values(node).forEach(visit);
  };
  visit(document.paths);
  for (const name of Object.keys(schemas)) if (!reached.has(name)) delete schemas[name];
}
