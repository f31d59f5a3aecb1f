import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/*
 * The OpenAPI document as the running API publishes it, and checks of real responses
 * against it (ajv). Used by checked-supertest.ts for every REST response of the e2e suites.
 */

type Json = Record<string, unknown>;
export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Json> };
}
export interface Operation {
  operationId?: string;
  parameters?: { name: string; in: string; required?: boolean; schema?: Json }[];
  requestBody?: { content?: Record<string, { schema?: Json }> };
  responses: Record<string, { description?: string; content?: Record<string, { schema?: Json }> }>;
  security?: unknown[];
}

const documents = new Map<string, Promise<OpenApiDocument>>();
/** Apps of one build publish the same document: one parsed copy (and one ajv) per text. */
const byText = new Map<string, OpenApiDocument>();

/** The document served at `<baseUrl>/api/docs-json` (fetched once per server). */
export function documentOf(baseUrl: string): Promise<OpenApiDocument> {
  let document = documents.get(baseUrl);
  if (!document) {
    document = fetch(`${baseUrl}/api/docs-json`).then(async (response) => {
      if (!response.ok) throw new Error(`GET /api/docs-json answered ${response.status}`);
      const text = await response.text();
      if (!byText.has(text)) byText.set(text, JSON.parse(text) as OpenApiDocument);
      return byText.get(text)!;
    });
    documents.set(baseUrl, document);
  }
  return document;
}

export const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

/** The operation a request reaches: a literal path wins over a templated one. */
export function findOperation(
  document: OpenApiDocument,
  method: string,
  path: string,
): { template: string; operation: Operation } | undefined {
  const candidates = Object.entries(document.paths)
    .filter(([, item]) => item[method.toLowerCase()])
    .filter(([template]) => templateRegExp(template).test(path))
    .sort(([a], [b]) => (a.match(/\{/g)?.length ?? 0) - (b.match(/\{/g)?.length ?? 0));
  const [template, item] = candidates[0] ?? [];
  return template && item ? { template, operation: item[method.toLowerCase()] } : undefined;
}

function templateRegExp(template: string): RegExp {
  const pattern = template
    .split(/\{[^}]+\}/)
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('[^/]+');
  // eslint-disable-next-line security/detect-non-literal-regexp -- built from the document's own paths
  return new RegExp(`^${pattern}$`);
}

/** OpenAPI 3.0's `nullable` as JSON Schema (ajv only reads it next to `type`). */
function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (!node || typeof node !== 'object') return node;
  const { nullable, ...rest } = node as Json;
  const converted = Object.fromEntries(
    Object.entries(rest).map(([key, value]) => [key, toJsonSchema(value)]),
  );
  return nullable === true ? { anyOf: [converted, { type: 'null' }] } : converted;
}

const validators = new WeakMap<object, ValidateFunction>();
const ajvs = new WeakMap<OpenApiDocument, Ajv>();
// Compiling is the costly part (about a second for a schema with its references): once per
// schema of a document, for the whole jest worker.

/** Validates `value` against a schema of `document` (its `$ref`s resolve into the document). */
export function validatorFor(document: OpenApiDocument, schema: Json): ValidateFunction {
  let validate = validators.get(schema);
  if (validate) return validate;
  let ajv = ajvs.get(document);
  if (!ajv) {
    ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addFormat('binary', true);
    ajv.addSchema({ components: toJsonSchema(document.components) }, 'openapi');
    ajvs.set(document, ajv);
  }
  const rebased = JSON.parse(
    JSON.stringify(toJsonSchema(schema)).replaceAll('"#/components/', '"openapi#/components/'),
  ) as Json;
  validate = ajv.compile(rebased);
  validators.set(schema, validate);
  return validate;
}

export interface CheckedResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  text?: string;
}

/**
 * Throws when a response is not what the document says its operation answers: an
 * undocumented status, a body that does not match the status's schema, a content type not
 * listed. Requests no operation describes (unknown paths, the SPA) are not checked.
 */
export async function checkResponse(
  baseUrl: string,
  method: string,
  url: string,
  response: CheckedResponse,
): Promise<void> {
  const path = new URL(url, baseUrl).pathname;
  if (!path.startsWith('/api/') || path.startsWith('/api/docs')) return;
  // Node's HTTP parser answers an oversized request head before the application sees it.
  if (response.status === 431) return;
  const document = await documentOf(baseUrl);
  const found = findOperation(document, method, path);
  if (!found) return;
  const where = `${method.toUpperCase()} ${path} (${found.template}) answered ${response.status}`;
  const documented =
    found.operation.responses[String(response.status)] ??
    found.operation.responses[`${String(response.status)[0]}XX`] ??
    found.operation.responses.default;
  if (!documented) {
    throw new Error(
      `${where}, which its OpenAPI operation does not document (documented: ${Object.keys(found.operation.responses).join(', ')}). Body: ${JSON.stringify(response.body)}`,
    );
  }
  const contentType = String(response.headers['content-type'] ?? '').split(';')[0];
  if (!documented.content) {
    if (response.text) throw new Error(`${where} with a body, documented as empty`);
    return;
  }
  const media = documented.content[contentType];
  if (!media) {
    throw new Error(
      `${where} as ${contentType || 'no content type'}; documented: ${Object.keys(documented.content).join(', ')}`,
    );
  }
  if (contentType !== 'application/json' || !media.schema) return;
  const validate = validatorFor(document, media.schema);
  if (!validate(response.body)) {
    const errors = (validate.errors ?? [])
      .map((error) => `${error.instancePath || '(body)'} ${error.message}`)
      .join('; ');
    throw new Error(
      `${where} with a body that does not match its documented schema: ${errors}. Body: ${JSON.stringify(response.body)}`,
    );
  }
}
