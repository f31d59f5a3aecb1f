import {
  INestApplication,
  NestApplicationOptions,
  ValidationError,
  ValidationPipe,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import { ErrorCode } from '@natter/contracts';
import cookieParser from 'cookie-parser';
import express, { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { classify } from './common/all-exceptions.filter';
import { ApiException } from './common/api-exception';
import { inputShapeProblem } from './common/input-shape';
import { buildOpenApiDocument } from './common/openapi-document';
import { isAllowedOrigin } from './common/origin-policy';
import { AppConfig } from './config/app-config';
import { AppModule } from './app.module';
import { AppIoAdapter } from './modules/gateway/io.adapter';
import { httpMetricsMiddleware } from './modules/metrics/http-metrics.middleware';
import { Metrics } from './modules/metrics/metrics.service';

/** Creates the application with the full HTTP/Socket.IO setup; used by main.ts and e2e tests. */
export async function createApp(
  options: NestApplicationOptions = {},
): Promise<NestExpressApplication> {
  // Our own JSON parser (below) so that its errors reach the exception filter unchanged.
  const app = await NestFactory.create<NestExpressApplication>(AppModule, {
    ...options,
    bodyParser: false,
  });
  configureApp(app);
  return app;
}

const flattenErrors = (errors: ValidationError[], parent = ''): string[] =>
  errors.flatMap((error) => {
    const path = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {});
    return [...own, ...flattenErrors(error.children ?? [], path)];
  });

/** Everything about the HTTP/Socket.IO stack that main.ts and the e2e tests share. */
function configureApp(app: NestExpressApplication): void {
  const config = app.get(AppConfig);
  app.useLogger(app.get(Logger));
  app.set('trust proxy', config.env.TRUST_PROXY);
  app.disable('x-powered-by');
  app.enableShutdownHooks();

  app.use(httpMetricsMiddleware(app.get(Metrics)));
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'blob:', 'data:'],
          connectSrc: ["'self'", 'ws:', 'wss:'],
          fontSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
        },
      },
      referrerPolicy: { policy: 'no-referrer' },
      crossOriginResourcePolicy: { policy: 'same-origin' },
    }),
  );
  app.use(cookieParser());
  // Node's querystring: flat keys, string or string[] values, at most 1,000 keys. Pinned here
  // (it is Express 5's default) because qs's nested syntax is a depth attack surface.
  app.set('query parser', 'simple');
  // Nest would turn the parser's SyntaxError into a generic 400; classify it here instead.
  const jsonParser = express.json({ limit: '100kb' });
  app.use((request: Request, response: Response, next: NextFunction) =>
    jsonParser(request, response, (error?: unknown) => {
      if (error) {
        const { status, message, code } = classify(error);
        return next(new ApiException(status, code ?? ErrorCode.VALIDATION_FAILED, String(message)));
      }
      next(refuseHostileShape(request));
    }),
  );
  app.enableCors((request: Request, callback: (error: Error | null, options: object) => void) => {
    const origin = request.headers.origin;
    const allowed =
      typeof origin === 'string' &&
      isAllowedOrigin(origin, request.headers.host, config.corsOrigins);
    callback(null, { origin: allowed ? origin : false, credentials: true });
  });
  app.setGlobalPrefix('api');
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      exceptionFactory: (errors) =>
        new ApiException(400, ErrorCode.VALIDATION_FAILED, flattenErrors(errors).join('; ')),
    }),
  );
  app.useWebSocketAdapter(new AppIoAdapter(app, config));
  setUpSwagger(app);
  serveWebApp(app, config);
}

/**
 * Body and query are checked for depth and size right after parsing, before the throttle's
 * trackers, guards and validation read them (they all recurse). The message never repeats
 * the input.
 */
function refuseHostileShape(request: Request): ApiException | undefined {
  for (const [part, value] of [
    ['Request body', request.body],
    ['Query string', request.query],
  ] as const) {
    const problem = inputShapeProblem(value);
    if (problem) return new ApiException(400, ErrorCode.VALIDATION_FAILED, `${part} ${problem}`);
  }
  // Nothing in the API reads bracket syntax (`a[b]=1`); it is someone probing for qs.
  if (Object.keys(request.query as object).some((key) => /[[\]]/.test(key))) {
    return new ApiException(400, ErrorCode.VALIDATION_FAILED, 'Query string keys may not nest');
  }
  return undefined;
}

function setUpSwagger(app: INestApplication): void {
  SwaggerModule.setup('api/docs', app, buildOpenApiDocument(app), {
    jsonDocumentUrl: 'api/docs-json',
  });
}

/** Serves the built SPA from the same origin; client-side routes fall back to index.html. */
function serveWebApp(app: NestExpressApplication, config: AppConfig): void {
  const root = resolve(config.env.WEB_DIST ?? join(process.cwd(), 'dist/apps/web'));
  const index = join(root, 'index.html');
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- WEB_DIST comes from configuration
  if (!existsSync(index)) return;
  const isApi = (request: Request) =>
    request.path.startsWith('/api') || request.path.startsWith('/socket.io');
  const serveStatic = express.static(root, {
    index: false,
    maxAge: '1h',
    setHeaders: immutableAssets,
  });
  // API requests skip the file lookup: it runs on libuv's thread pool, where bcrypt and sharp
  // work too, and would make reads wait behind a burst of logins.
  app.use((request: Request, response: Response, next: NextFunction) =>
    isApi(request) ? next() : serveStatic(request, response, next),
  );
  app.use((request: Request, response: Response, next: NextFunction) => {
    if (request.method !== 'GET' || isApi(request) || !request.accepts('html')) return next();
    response.setHeader('Cache-Control', 'no-cache');
    response.sendFile(index);
  });
}

function immutableAssets(response: Response, path: string): void {
  if (path.includes('/assets/'))
    response.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
}
