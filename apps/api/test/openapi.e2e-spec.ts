import SwaggerParser from '@apidevtools/swagger-parser';
import { apiRoutes, ErrorCode } from '@natter/contracts';
import request from 'supertest';
import { signup } from './support/clients';
import { befriend } from './support/messaging';
import { documentOf, HTTP_METHODS, OpenApiDocument, Operation } from './support/openapi';
import { createTestApp, dropDatabase, TestApp } from './support/test-app';

/*
 * SPEC §8.5: /api/docs-json is a valid OpenAPI 3 document that declares every parameter,
 * every success schema and every error with its codes, and publishes nothing internal.
 */
let t: TestApp;
let document: OpenApiDocument;
const operations: { key: string; path: string; method: string; operation: Operation }[] = [];

beforeAll(async () => {
  t = await createTestApp({ label: 'openapi' });
  document = await documentOf(t.url);
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (operation)
        operations.push({ key: `${method.toUpperCase()} ${path}`, path, method, operation });
    }
  }
});

afterAll(async () => {
  await t.close();
  await dropDatabase(t);
});

const isErrorStatus = (status: string) => /^[45]/.test(status);
const refName = (schema: unknown) =>
  String((schema as { $ref?: string } | undefined)?.$ref ?? '').replace(
    '#/components/schemas/',
    '',
  );

describe('/api/docs-json', () => {
  it('is a valid OpenAPI 3 document (swagger-parser)', async () => {
    expect(document.openapi).toMatch(/^3\./);
    await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeTruthy();
  });

  it('lists exactly the operations of the contracts route map', () => {
    const documented = operations.map(({ key }) => key.replace(/\{([^}]+)\}/g, ':$1')).sort();
    expect(documented).toEqual(Object.keys(apiRoutes).sort());
  });

  it('declares every path parameter of every operation', () => {
    const missing = operations.flatMap(({ key, path, operation }) =>
      [...path.matchAll(/\{([^}]+)\}/g)]
        .map(([, name]) => name)
        .filter(
          (name) =>
            !operation.parameters?.some(
              (p) => p.in === 'path' && p.name === name && p.required && p.schema?.type,
            ),
        )
        .map((name) => `${key}: {${name}}`),
    );
    expect(missing).toEqual([]);
    expect(operations.filter(({ path }) => path.includes('{')).length).toBeGreaterThanOrEqual(6);
  });

  it('gives every operation a success response, with a schema unless it has no body', () => {
    const problems = operations.flatMap(({ key, operation }) => {
      const successes = Object.entries(operation.responses).filter(([status]) => /^2/.test(status));
      if (successes.length === 0) return [`${key}: no success response`];
      return successes
        .filter(([status]) => status !== '204')
        .filter(([, response]) => {
          const media = Object.values(response.content ?? {});
          return media.length === 0 || media.some((entry) => !entry.schema);
        })
        .map(([status]) => `${key}: ${status} without a schema`);
    });
    expect(problems).toEqual([]);
  });

  it('documents every error with the ApiError schema and the codes it can carry', () => {
    const codes = new Set<string>(Object.values(ErrorCode));
    const problems = operations.flatMap(({ key, operation }) =>
      Object.entries(operation.responses)
        .filter(([status]) => isErrorStatus(status))
        .flatMap(([status, response]) => {
          const schema = response.content?.['application/json']?.schema as
            { allOf?: { properties?: { code?: { enum?: string[] } } }[] } | undefined;
          const listed = schema?.allOf?.[1]?.properties?.code?.enum ?? [];
          if (refName(schema?.allOf?.[0]) !== 'ApiError') return [`${key} ${status}: not ApiError`];
          if (listed.length === 0) return [`${key} ${status}: no codes`];
          return listed
            .filter((code) => !codes.has(code))
            .map((code) => `${key} ${status}: unknown ${code}`);
        }),
    );
    expect(problems).toEqual([]);
  });

  it('documents the history query, the search query and the multipart upload', () => {
    const history = document.paths['/api/conversations/{contactId}/messages'].get;
    expect(history.parameters?.filter((p) => p.in === 'query').map((p) => p.name)).toEqual(
      expect.arrayContaining(['before', 'after', 'limit']),
    );
    expect(history.parameters?.find((p) => p.name === 'limit')?.schema).toMatchObject({
      type: 'integer',
      minimum: 1,
      maximum: 100,
    });
    expect(refName(history.responses['200'].content?.['application/json'].schema)).toBe(
      'HistoryResponse',
    );
    const search = document.paths['/api/users/search'].get;
    expect(search.parameters?.find((p) => p.name === 'q')).toMatchObject({
      in: 'query',
      schema: { type: 'string', maxLength: 20 },
    });
    const upload = document.paths['/api/messages/image'].post;
    const multipart = upload.requestBody?.content?.['multipart/form-data']?.schema as {
      properties: Record<string, unknown>;
      required: string[];
    };
    expect(Object.keys(multipart.properties).sort()).toEqual([
      'clientId',
      'image',
      'recipientId',
      'replyToId',
      'text',
    ]);
    expect(multipart.required.sort()).toEqual(['image', 'recipientId']);
  });

  it('documents both answers of POST /api/login and the two-factor and mute operations', () => {
    const login = document.paths['/api/login'].post.responses['200'].content?.['application/json']
      .schema as { oneOf?: unknown[] } | undefined;
    expect(login?.oneOf?.map(refName).sort()).toEqual([
      'AuthResponse',
      'TwoFactorChallengeResponse',
    ]);
    const success = (path: string, method: string, status: string) =>
      refName(document.paths[path][method].responses[status].content?.['application/json'].schema);
    expect(success('/api/2fa/setup', 'post', '200')).toBe('TwoFactorSetupResponse');
    expect(success('/api/2fa/enable', 'post', '200')).toBe('TwoFactorEnableResponse');
    expect(success('/api/login/2fa', 'post', '200')).toBe('AuthResponse');
    expect(success('/api/contacts/{contactId}/settings', 'put', '200')).toBe('ContactResponse');
    expect(document.components?.schemas?.PublicUser).toMatchObject({
      required: expect.arrayContaining(['twoFactorEnabled']),
    });
    expect(document.components?.schemas?.ContactInfo).toMatchObject({
      required: expect.arrayContaining(['muted']),
    });
  });

  it('documents the message actions: parameters, bodies, schemas and every error code', () => {
    const codesOf = (operation: Operation, status: string) =>
      (
        operation.responses[status]?.content?.['application/json']?.schema as
          { allOf?: { properties?: { code?: { enum?: string[] } } }[] } | undefined
      )?.allOf?.[1]?.properties?.code?.enum ?? [];
    const body = (operation: Operation) =>
      refName(operation.requestBody?.content?.['application/json']?.schema);
    const ok = (operation: Operation, status = '200') =>
      refName(operation.responses[status]?.content?.['application/json']?.schema);

    const edit = document.paths['/api/messages/{id}'].patch;
    expect(body(edit)).toBe('EditMessageDto');
    expect(ok(edit)).toBe('MessageResponse');
    expect(codesOf(edit, '400')).toEqual(
      expect.arrayContaining([ErrorCode.NOT_A_TEXT_MESSAGE, ErrorCode.VALIDATION_FAILED]),
    );
    expect(codesOf(edit, '403')).toEqual(
      expect.arrayContaining([ErrorCode.EDIT_WINDOW_PASSED, ErrorCode.BLOCKED]),
    );
    expect(codesOf(edit, '404')).toEqual(
      expect.arrayContaining([ErrorCode.MESSAGE_NOT_FOUND, ErrorCode.NOT_A_CONTACT]),
    );
    expect(codesOf(edit, '409')).toEqual([ErrorCode.MESSAGE_DELETED]);

    const remove = document.paths['/api/messages/{id}'].delete;
    expect(remove.parameters?.find((p) => p.name === 'for')).toMatchObject({
      in: 'query',
      required: true,
      schema: { enum: ['everyone', 'me'] },
    });
    expect(Object.keys(remove.responses)).toContain('204');
    expect(codesOf(remove, '403')).toEqual(
      expect.arrayContaining([ErrorCode.DELETE_WINDOW_PASSED, ErrorCode.BLOCKED]),
    );

    const react = document.paths['/api/messages/{id}/reaction'];
    expect(body(react.put)).toBe('ReactionDto');
    expect(ok(react.put)).toBe('MessageResponse');
    expect(ok(react.delete)).toBe('MessageResponse');
    expect(codesOf(react.put, '409')).toEqual([ErrorCode.MESSAGE_DELETED]);

    const changes = document.paths['/api/conversations/{contactId}/changes'].get;
    expect(changes.parameters?.find((p) => p.name === 'since')).toMatchObject({
      in: 'query',
      required: true,
      schema: { type: 'string', pattern: expect.any(String) },
    });
    expect(ok(changes)).toBe('ChangesResponse');
    expect(codesOf(changes, '410')).toEqual([ErrorCode.CURSOR_EXPIRED]);

    const schemas = document.components?.schemas ?? {};
    expect(schemas.MessageInfo).toMatchObject({
      required: expect.arrayContaining(['reactions']),
      properties: {
        editedAt: { format: 'date-time' },
        deletedAt: { format: 'date-time' },
        replyTo: { $ref: '#/components/schemas/ReplyToInfo' },
      },
    });
    expect(schemas.HistoryResponse).toMatchObject({ required: expect.arrayContaining(['cursor']) });
    expect(schemas.ChangesResponse).toMatchObject({
      required: expect.arrayContaining(['messages', 'hiddenIds', 'cursor', 'hasMore']),
    });
    expect(schemas.LastMessageSummary).toMatchObject({
      properties: { deleted: { type: 'boolean', enum: [true] } },
    });
  });

  it('derives JSON bodies from the contract DTOs and refuses unknown fields in them', () => {
    const signup = document.paths['/api/signup'].post;
    expect(refName(signup.requestBody?.content?.['application/json']?.schema)).toBe('SignupDto');
    expect(document.components?.schemas?.SignupDto).toMatchObject({
      additionalProperties: false,
      required: ['username', 'password'],
    });
  });

  it('publishes no internal schema, and every schema it publishes is used', () => {
    const schemas = Object.keys(document.components?.schemas ?? {});
    expect(schemas).not.toContain('EnvironmentVariables');
    const text = JSON.stringify(document.paths);
    const reachable = new Set<string>();
    const visit = (json: string) => {
      for (const [, name] of json.matchAll(/#\/components\/schemas\/([A-Za-z0-9_]+)/g)) {
        if (reachable.has(name)) continue;
        reachable.add(name);
        visit(JSON.stringify(document.components?.schemas?.[name]));
      }
    };
    visit(text);
    expect(schemas.filter((name) => !reachable.has(name))).toEqual([]);
  });

  it('requires a bearer token (or the refresh cookie) on every operation that is not public', () => {
    const open = operations.filter(({ operation }) => !operation.security?.length);
    expect(open.map(({ key }) => key).sort()).toEqual(
      [
        'GET /api/health',
        'GET /api/health/ready',
        'POST /api/login',
        'POST /api/login/2fa',
        'POST /api/signup',
      ].sort(),
    );
  });
});

describe('the response check of the e2e suites', () => {
  it('refuses a body that its documented schema does not allow', async () => {
    const { checkResponse } = await import('./support/openapi');
    const a = await signup(t.url);
    const b = await signup(t.url);
    await befriend(t.url, a, b);
    const ok = await request(t.url)
      .get(`/api/conversations/${b.id}/messages`)
      .set({ Authorization: `Bearer ${a.accessToken}` })
      .expect(200);
    await expect(
      checkResponse(t.url, 'get', `/api/conversations/${b.id}/messages`, ok),
    ).resolves.toBeUndefined();
    const drifted = { ...ok, body: { ...ok.body, hasMore: 'no' } };
    await expect(
      checkResponse(t.url, 'get', `/api/conversations/${b.id}/messages`, drifted),
    ).rejects.toThrow(/hasMore must be boolean/);
    const leaked = { ...ok, body: { ...ok.body, passwordHash: 'x' } };
    await expect(
      checkResponse(t.url, 'get', `/api/conversations/${b.id}/messages`, leaked),
    ).rejects.toThrow(/additional properties/);
    const undocumented = { ...ok, status: 500 };
    await expect(
      checkResponse(t.url, 'get', `/api/conversations/${b.id}/messages`, undocumented),
    ).rejects.toThrow(/does not document/);
    const wrongCode = {
      status: 404,
      headers: { 'content-type': 'application/json' },
      body: { statusCode: 404, error: 'Not Found', message: 'x', code: ErrorCode.USERNAME_TAKEN },
    };
    await expect(
      checkResponse(t.url, 'get', `/api/conversations/${b.id}/messages`, wrongCode),
    ).rejects.toThrow(/code must be equal to one of the allowed values/);
  });
});
